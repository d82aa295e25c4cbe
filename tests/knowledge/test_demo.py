import pytest
from django.core.management import call_command

from experts.knowledge.models import CaseStudy, Event, Question, Resource


@pytest.mark.django_db
def test_demo_content_is_fictional_labelled_and_idempotent(client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    cases = CaseStudy.objects.filter(is_demo=True)
    assert cases.count() == 2 and all(c.swots.count() == 3 for c in cases)
    assert all(c.title.startswith("Demo:") and c.is_published for c in cases)
    question = Question.objects.get(is_demo=True)
    assert question.accepted_answer is not None
    assert Event.objects.upcoming().filter(is_demo=True).exists() and Event.objects.past().filter(is_demo=True)
    assert Resource.objects.filter(is_demo=True).count() == 3
    pages = ["/knowledge/cases/", cases[0].get_absolute_url(), f"/knowledge/cases/{cases[0].slug}/swot/",
             question.get_absolute_url(), "/knowledge/events/", "/knowledge/resources/", "/search/?q=demo"]  # fmt: skip
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Demo" in page.content.decode(), url
