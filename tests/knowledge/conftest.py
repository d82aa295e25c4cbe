"""Knowledge records for the tests: a published case study and a submitted one."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest

from experts.knowledge.models import CaseStudy, CountrySwot, Hurdle, Milestone, RegulatoryRoute
from trials.models import CurationStatus

XSS_PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=\"alert('xss-2')\">",
    "[click](javascript:alert('xss-3'))",
    "<a href=\"javascript:alert('xss-4')\">x</a>",
    "<svg/onload=alert('xss-5')>",
    '"><script>alert("xss-6")</script>',
    "<iframe src=\"javascript:alert('xss-7')\"></iframe>",
    "<div style=\"background:url(javascript:alert('xss-8'))\" onclick=alert(1)>",
]


class _LiveMarkup(HTMLParser):
    """Collects what a browser would run: event handlers, javascript: URLs, inline or foreign scripts."""

    def __init__(self):
        super().__init__()
        self.live: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in {"iframe", "svg", "object", "embed"}:
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}>")
            if name in {"href", "src", "action", "style"} and "javascript:" in (value or "").lower():
                self.live.append(f"<{tag} {name}={value}>")
        self._in_script = tag == "script"

    def handle_data(self, data):
        if self._in_script and "alert" in data:
            self.live.append(f"<script>{data}")

    def handle_endtag(self, tag):
        self._in_script = False


def assert_inert(html: str) -> None:
    """None of the payloads survives as live markup (escaped text is fine)."""
    parser = _LiveMarkup()
    parser.feed(html)
    assert not parser.live, parser.live


def make_case(owner, *, title="Academic CAR-T in three countries", status=CurationStatus.PUBLISHED, **fields):
    case = CaseStudy.objects.create(
        title=title, slug=fields.pop("slug", None) or title.lower().replace(" ", "-")[:200], owner=owner,
        curation_status=status, atmp_type=fields.pop("atmp_type", "gtmp_ex_vivo"),
        indication=fields.pop("indication", "B-cell lymphoma"), stage=fields.pop("stage", "phase_1_2"),
        lessons=fields.pop("lessons", "Start **early**."), **fields,
    )  # fmt: skip
    Milestone.objects.create(case=case, date=datetime.date(2024, 3, 1), stage="phase_1", event="First patient dosed")
    RegulatoryRoute.objects.create(case=case, country="DE", authority="Demo authority", scientific_advice="used")
    for country in ("DE", "ES", "NL"):
        CountrySwot.objects.create(case=case, country=country, strengths=f"Strong {country}",
                                   weaknesses="Few sites", opportunities="Funding", threats="Costs")  # fmt: skip
    Hurdle.objects.create(case=case, category="manufacturing", description="Vector supply")
    return case


@pytest.fixture
def published_case(db, owner):
    return make_case(owner, title="Published case", slug="published-case")


@pytest.fixture
def submitted_case(db, owner):
    return make_case(owner, title="Submitted case", slug="submitted-case", status=CurationStatus.SUBMITTED)


def expert_with(email: str, *, areas=(), atmp_types=(), accepts=True, role="expert"):
    """An approved expert whose profile lists the given expertise area slugs and ATMP types."""
    from experts.models import ExpertiseArea
    from tests.conftest import make_user

    user = make_user(email, role=role)
    profile = user.profile
    profile.accepts_questions = accepts
    profile.atmp_types = list(atmp_types)
    profile.display_name = email.split("@")[0]
    profile.save()
    profile.expertise_areas.set(ExpertiseArea.objects.filter(slug__in=areas))
    return user


def ask(author, *, title="How to plan GMP comparability?", topics=(), atmp_type="", audience="public", body="Body"):
    from experts.knowledge.services.questions import question_ask
    from experts.models import ExpertiseArea

    return question_ask(
        author=author, title=title, body=body, topics=ExpertiseArea.objects.filter(slug__in=topics),
        atmp_type=atmp_type, audience=audience,
    )  # fmt: skip
