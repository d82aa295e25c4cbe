import pytest
from django.core import mail

from experts.knowledge.models import CaseStudy, CaseStudyExpert
from trials.models import CurationStatus

from .conftest import XSS_PAYLOADS, assert_inert, make_case


def _form(**extra):
    data = {
        "title": "Gene therapy for a rare disease", "summary": "Demo", "atmp_type": "gtmp", "indication": "SMA",
        "stage": "phase_1", "product": "", "lessons": "Talk to the **agency**.",
    }  # fmt: skip
    for prefix in ("milestones", "routes", "swots", "hurdles", "expert_links"):
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"})
    data.update({"swots-0-country": "FR", "swots-0-strengths": "Network", "hurdles-0-category": "regulatory",
                 "hurdles-0-description": "GMO approval took **a year**", "milestones-0-date": "2023-01-10",
                 "milestones-0-event": "CTA submitted"})  # fmt: skip
    data.update(extra)
    return data


@pytest.mark.django_db
def test_an_expert_writes_a_case_which_a_curator_publishes(
    client_for, owner, curator, django_capture_on_commit_callbacks
):
    client = client_for("owner")
    response = client.post("/knowledge/cases/new/", _form(submit="1"))
    case = CaseStudy.objects.get()
    assert response.status_code == 302 and case.owner == owner
    assert case.curation_status == CurationStatus.SUBMITTED
    assert case.swots.get().country.code == "FR" and case.hurdles.count() == 1 and case.milestones.count() == 1
    assert client_for("anonymous").get(case.get_absolute_url()).status_code == 404

    # Four eyes: the owner cannot review; the curator can.
    assert client.post(f"/knowledge/cases/{case.slug}/review/", {"decision": "approve"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        client_for("curator").post(f"/knowledge/cases/{case.slug}/review/", {"decision": "approve", "comment": "Fine"})
    case.refresh_from_db()
    assert case.is_published and case.reviewed_by == curator and case.published_at
    assert [m.to for m in mail.outbox] == [[owner.email]] and "approved" in mail.outbox[0].subject
    page = client_for("anonymous").get(case.get_absolute_url()).content.decode()
    assert "<strong>a year</strong>" in page and "<strong>agency</strong>" in page
    assert owner.email not in page


@pytest.mark.django_db
def test_rejection_needs_a_comment_and_an_edit_of_a_published_case_goes_back_to_review(client_for, submitted_case):
    curator = client_for("curator")
    curator.post(f"/knowledge/cases/{submitted_case.slug}/review/", {"decision": "reject"})
    submitted_case.refresh_from_db()
    assert submitted_case.curation_status == CurationStatus.SUBMITTED
    curator.post(f"/knowledge/cases/{submitted_case.slug}/review/", {"decision": "approve"})
    submitted_case.refresh_from_db()
    assert submitted_case.is_published

    form = _form(title="Submitted case, revised")
    form.update({"swots-0-country": "IT"})
    client_for("owner").post(f"/knowledge/cases/{submitted_case.slug}/edit/", form)
    submitted_case.refresh_from_db()
    assert submitted_case.curation_status == CurationStatus.SUBMITTED


@pytest.mark.django_db
def test_a_named_expert_is_shown_only_after_confirming(client_for, published_case, expert):
    expert.profile.display_name = "Dr Named Expert"
    expert.profile.save()
    CaseStudyExpert.objects.create(case=published_case, expert=expert, role="Clinical lead")
    assert "Dr Named Expert" not in client_for("anonymous").get(published_case.get_absolute_url()).content.decode()
    assert "Confirm my involvement" in client_for("expert").get(published_case.get_absolute_url()).content.decode()
    client_for("expert").post(f"/knowledge/cases/{published_case.slug}/confirm/")
    assert "Dr Named Expert" in client_for("anonymous").get(published_case.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_filters_and_comparison_pages(client, owner):
    first = make_case(owner, title="Case one", slug="case-one")
    second = make_case(owner, title="Case two", slug="case-two", atmp_type="tep", stage="phase_3")
    second.hurdles.create(category="economic", description="No reimbursement code")
    assert b"Case two" not in client.get("/knowledge/cases/?atmp_type=gtmp_ex_vivo").content
    assert b"Case two" in client.get("/knowledge/cases/?hurdle=economic").content
    assert b"Case one" not in client.get("/knowledge/cases/?hurdle=economic").content
    assert b"Case one" in client.get("/knowledge/cases/?country=es&stage=phase_1_2").content
    assert b"Case one" not in client.get("/knowledge/cases/?country=FR").content
    assert client.get("/knowledge/cases/?atmp_type=x&country=zzz&stage=&hurdle=%ff").status_code == 200

    swot = client.get(f"/knowledge/cases/{first.slug}/swot/").content.decode()
    assert swot.index("Germany") < swot.index("Spain") < swot.index("Netherlands")
    assert "Strong ES" in swot
    compare = client.get("/knowledge/cases/compare/?case=case-one&case=case-two&case=nope").content.decode()
    assert "No reimbursement code" in compare and compare.count("Vector supply") == 2


@pytest.mark.django_db
def test_every_markdown_and_text_field_of_a_case_renders_inert(client, owner):
    payload = "\n\n".join(XSS_PAYLOADS)
    case = make_case(owner, title=XSS_PAYLOADS[0], slug="xss", summary=XSS_PAYLOADS[1], indication=XSS_PAYLOADS[5],
                     lessons=payload)  # fmt: skip
    case.swots.update(strengths=payload, weaknesses=payload, opportunities=payload, threats=payload)
    case.hurdles.update(description=payload)
    short = " ".join(XSS_PAYLOADS[:4])  # fits the 200- and 300-character columns
    case.milestones.update(event=short)
    case.routes.update(authority=short[:200], outcome=short)
    for url in (case.get_absolute_url(), f"/knowledge/cases/{case.slug}/swot/", "/knowledge/cases/compare/?case=xss",
                "/knowledge/cases/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(response.content.decode())


def test_the_inertness_check_catches_live_markup():
    with pytest.raises(AssertionError):
        assert_inert('<p><img src=x onerror="alert(1)"></p>')
    with pytest.raises(AssertionError):
        assert_inert('<a href="javascript:alert(1)">x</a>')
    assert_inert("<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=</p>")
