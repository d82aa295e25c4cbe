"""Seed the expertise taxonomy with the platform's initial list; curators extend it in the admin."""

from django.db import migrations

AREAS = [
    ("regulatory-strategy", "Regulatory strategy"),
    ("scientific-advice-national-procedures", "Scientific advice and national procedures"),
    ("hospital-exemption", "Hospital exemption"),
    ("cmc-gmp-manufacturing", "CMC and GMP manufacturing"),
    ("vector-production", "Vector production"),
    ("cell-processing", "Cell processing"),
    ("qc-release-testing", "QC and release testing"),
    ("non-clinical-non-animal-methods", "Non-clinical and non-animal methods"),
    ("clinical-trial-design", "Clinical trial design"),
    ("cross-border-trials", "Cross-border trials"),
    ("rare-diseases", "Rare diseases"),
    ("oncology", "Oncology"),
    ("car-t", "CAR-T"),
    ("gene-therapy", "Gene therapy"),
    ("tissue-engineering", "Tissue engineering"),
    ("hta-reimbursement", "HTA and reimbursement"),
    ("real-world-evidence", "Real-world evidence"),
    ("health-economics", "Health economics"),
    ("patient-engagement", "Patient engagement"),
    ("ethics", "Ethics"),
]


def seed(apps, schema_editor):
    ExpertiseArea = apps.get_model("experts", "ExpertiseArea")
    for position, (slug, name) in enumerate(AREAS, start=1):
        ExpertiseArea.objects.update_or_create(slug=slug, defaults={"name": name, "ordering": position * 10})


def unseed(apps, schema_editor):
    apps.get_model("experts", "ExpertiseArea").objects.filter(slug__in=[slug for slug, _ in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("experts", "0003_expertise_taxonomy")]

    operations = [migrations.RunPython(seed, unseed)]
