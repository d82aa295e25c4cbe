"""Seed the EU/EEA national competent authorities for human medicines, and EMA, by name and country.

Only names and countries are recorded, taken from EMA's list of national competent
authorities (the source URL below). No advice mechanism, fee or language is filled
in, and none is marked verified: a curator verifies each entry before it loses its
"unverified" badge.
"""

from django.db import migrations

SOURCE = (
    "https://www.ema.europa.eu/en/partners-networks/eu-partners/eu-member-states/national-competent-authorities-human"
)

AUTHORITIES = [
    ("", "European Medicines Agency (EMA)"),
    ("AT", "Austrian Federal Office for Safety in Health Care (BASG)"),
    ("BE", "Federal Agency for Medicines and Health Products (FAMHP)"),
    ("BG", "Bulgarian Drug Agency (BDA)"),
    ("HR", "Agency for Medicinal Products and Medical Devices of Croatia (HALMED)"),
    ("CY", "Pharmaceutical Services, Ministry of Health (Cyprus)"),
    ("CZ", "State Institute for Drug Control (SÚKL)"),
    ("DK", "Danish Medicines Agency (DKMA)"),
    ("EE", "State Agency of Medicines (Estonia)"),
    ("FI", "Finnish Medicines Agency (Fimea)"),
    ("FR", "National Agency for the Safety of Medicines and Health Products (ANSM)"),
    ("DE", "Federal Institute for Drugs and Medical Devices (BfArM)"),
    ("DE", "Paul-Ehrlich-Institut (PEI)"),
    ("GR", "National Organization for Medicines (EOF)"),
    ("HU", "National Institute of Pharmacy and Nutrition (OGYÉI)"),
    ("IS", "Icelandic Medicines Agency (IMA)"),
    ("IE", "Health Products Regulatory Authority (HPRA)"),
    ("IT", "Italian Medicines Agency (AIFA)"),
    ("LV", "State Agency of Medicines (Latvia)"),
    ("LI", "Office of Public Health (Liechtenstein)"),
    ("LT", "State Medicines Control Agency (Lithuania)"),
    ("LU", "Ministry of Health, Division of Pharmacy and Medicines (Luxembourg)"),
    ("MT", "Malta Medicines Authority"),
    ("NL", "Medicines Evaluation Board (CBG-MEB)"),
    ("NO", "Norwegian Medical Products Agency"),
    ("PL", "Office for Registration of Medicinal Products, Medical Devices and Biocidal Products (URPL)"),
    ("PT", "National Authority of Medicines and Health Products (INFARMED)"),
    ("RO", "National Agency for Medicines and Medical Devices of Romania (ANMDMR)"),
    ("SK", "State Institute for Drug Control (ŠÚKL)"),
    ("SI", "Agency for Medicinal Products and Medical Devices (JAZMP)"),
    ("ES", "Spanish Agency of Medicines and Medical Devices (AEMPS)"),
    ("SE", "Swedish Medical Products Agency (MPA)"),
]


def seed(apps, schema_editor):
    Resource = apps.get_model("knowledge", "Resource")
    for country, title in AUTHORITIES:
        Resource.objects.get_or_create(
            title=title,
            kind="authority",
            defaults={"country": country, "source_url": SOURCE, "curation_status": "published"},
        )


def unseed(apps, schema_editor):
    apps.get_model("knowledge", "Resource").objects.filter(
        kind="authority", title__in=[title for _country, title in AUTHORITIES], last_verified_on__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_resource_library")]

    operations = [migrations.RunPython(seed, unseed)]
