"""Fictional expert profiles for the directory: every stakeholder type, several countries.

Accounts are ``<handle>@demo.atmp-platform.invalid`` (nobody can receive mail there),
profiles are labelled is_demo and "(demo)". Idempotent: keyed by e-mail address.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from trials.models import AtmpType, Product

from .models import Availability, ExpertiseArea, StakeholderType
from .services import catalogue_link_claim, catalogue_link_confirm, expert_approve, profile_update
from .visibility import Visibility

A = AtmpType
V = Availability
S = StakeholderType

# handle, name, title, institution, country, stakeholder type, area slugs, ATMP types, languages, availability
PROFILES = [
    ("anna.weber", "Anna Weber", "Prof. Dr.", "Fictional University Hospital Heidelberg", "DE", S.DEVELOPER_ACADEMIC,
     ["car-t", "hospital-exemption", "clinical-trial-design"], [A.GTMP_EX_VIVO], ["de", "en"], [V.MENTORING]),
    ("luc.martin", "Luc Martin", "CEO", "Demo Cell Therapeutics SAS", "FR", S.DEVELOPER_SME,
     ["regulatory-strategy", "cell-processing"], [A.SCTMP], ["fr", "en"], [V.SPEAKING]),
    ("giulia.rossi", "Giulia Rossi", "Head of CMC", "Demo Biopharma S.p.A.", "IT", S.DEVELOPER_INDUSTRY,
     ["cmc-gmp-manufacturing", "vector-production"], [A.GTMP, A.GTMP_EX_VIVO], ["it", "en"], [V.PEER_REVIEW]),
    ("jan.devries", "Jan de Vries", "QP", "Demo Viral Vector CDMO B.V.", "NL", S.CDMO,
     ["vector-production", "qc-release-testing"], [A.GTMP], ["nl", "en", "de"], [V.SCIENTIFIC_ADVICE]),
    ("marta.garcia", "Marta García", "Quality assessor", "Fictional National Medicines Agency", "ES", S.REGULATOR,
     ["scientific-advice-national-procedures", "regulatory-strategy"], [A.SCTMP, A.TEP], ["es", "en"], []),
    ("piotr.nowak", "Piotr Nowak", "HTA analyst", "Demo HTA Agency", "PL", S.HTA_BODY,
     ["hta-reimbursement", "health-economics"], [A.GTMP], ["pl", "en"], [V.PEER_REVIEW, V.SPEAKING]),
    ("sofia.lind", "Sofia Lind", "Pharmacist", "Fictional Regional Health Payer", "SE", S.PAYER,
     ["hta-reimbursement", "real-world-evidence"], [], ["sv", "en"], [V.SCIENTIFIC_ADVICE]),
    ("thomas.huber", "Thomas Huber", "Dr. med.", "Demo Children's Hospital Vienna", "AT", S.CLINICIAN,
     ["rare-diseases", "gene-therapy", "cross-border-trials"], [A.GTMP], ["de", "en"], [V.MENTORING, V.SPEAKING]),
    ("claire.dubois", "Claire Dubois", "Patient advocate", "Demo Rare Disease Alliance", "BE", S.PATIENT_ORGANISATION,
     ["patient-engagement", "rare-diseases"], [], ["fr", "nl", "en"], [V.SPEAKING]),
    ("mikkel.jensen", "Mikkel Jensen", "Chair", "Fictional Regional Ethics Committee", "DK", S.ETHICS_COMMITTEE,
     ["ethics", "clinical-trial-design"], [A.CATMP], ["da", "en"], [V.PEER_REVIEW]),
    ("ines.costa", "Inês Costa", "Programme officer", "Demo Research Foundation", "PT", S.FUNDER,
     ["oncology", "real-world-evidence"], [A.SCTMP], ["pt", "es", "en"], [V.MENTORING]),
    ("aoife.byrne", "Aoife Byrne", "Consultant", "Demo ATMP Consulting Ltd", "IE", S.OTHER,
     ["tissue-engineering", "non-clinical-non-animal-methods"], [A.TEP, A.CATMP], ["en", "ga"], [V.SCIENTIFIC_ADVICE]),
    ("lukas.schmidt", "Lukas Schmidt", "Group leader", "Fictional Institute for Cell Processing", "DE", S.CDMO,
     ["cell-processing", "qc-release-testing", "car-t"], [A.GTMP_EX_VIVO, A.SCTMP], ["de", "en"], []),
]  # fmt: skip

# handle -> (product name, role) for confirmed catalogue links
LINKS = {
    "anna.weber": ("DEMO-CAR19 (fictional anti-CD19 CAR-T)", "principal_investigator"),
    "giulia.rossi": ("DEMO-AAV-RPE (fictional retinal gene therapy)", "developer"),
    "jan.devries": ("DEMO-AAV-RPE (fictional retinal gene therapy)", "manufacturer"),
    "aoife.byrne": ("DEMO-SKIN-GRAFT (fictional tissue engineered skin)", "advisor"),
}


def load(*, stdout=None) -> None:
    from trials import demo as trials_demo

    trials_demo.load(stdout=stdout)  # the links below need the demo products; idempotent
    User = get_user_model()
    created = 0
    for index, (handle, name, title, institution, country, kind, areas, types, languages, offers) in enumerate(
        PROFILES
    ):
        first, last = name.split(" ", 1)
        user, is_new = User.objects.get_or_create(
            email=f"{handle}@demo.atmp-platform.invalid", defaults={"first_name": first, "last_name": last}
        )
        if is_new:
            user.set_unusable_password()  # directory entries, not accounts to sign in with
            user.save(update_fields=["password"])
            created += 1
        profile = user.profile
        area_names = ", ".join(ExpertiseArea.objects.filter(slug__in=areas).values_list("name", flat=True))
        profile_update(
            profile=profile,
            fields={
                "display_name": f"{name} (demo)",
                "title": title,
                "affiliation": institution,
                "country": country,
                "stakeholder_type": kind,
                "atmp_types": types,
                "languages": languages,
                "availability": offers,
                "accepts_questions": bool(offers),
                "bio": f"**Fictional demo profile.** {name} works on: {area_names}.",
                "is_public": index % 6 != 5,  # a few are listed for approved experts only
                "is_demo": True,
                # Some keep their institution for experts only: the directory shows the difference.
                "affiliation_visibility": Visibility.EXPERTS if index % 4 == 3 else Visibility.EVERYONE,
            },
            expertise_areas=ExpertiseArea.objects.filter(slug__in=areas),
        )
        expert_approve(profile=profile, approved_by=None, notify=False)
        if handle in LINKS:
            product_name, role = LINKS[handle]
            product = Product.objects.filter(name=product_name).first()
            if product is not None:
                link = catalogue_link_claim(profile=profile, product=product, role=role, note="Demo content")
                catalogue_link_confirm(link=link, confirmed_by=None, notify=False)
    if stdout and created:
        stdout.write(f"experts: {created} fictional demo profiles\n")
