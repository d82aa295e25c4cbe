import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from experts.knowledge.models import (
    Answer,
    DigestNotice,
    NotificationPreference,
    Question,
    QuestionFollow,
    QuestionRouting,
    TopicFollow,
)
from experts.knowledge.services import questions as service
from experts.knowledge.tasks import send_daily_digests
from experts.models import ExpertiseArea

from .conftest import XSS_PAYLOADS, ask, assert_inert, expert_with


@pytest.fixture
def asker(db):
    return expert_with("asker@example.org", areas=["car-t"], atmp_types=["gtmp_ex_vivo"])


@pytest.mark.django_db
def test_routing_notifies_the_best_matching_experts_who_accept_questions(
    asker, settings, django_capture_on_commit_callbacks
):
    settings.KNOWLEDGE_QUESTION_ROUTING_MAX = 2
    expert_with("best@example.org", areas=["car-t", "vector-production"], atmp_types=["gtmp_ex_vivo"])
    expert_with("second@example.org", areas=["vector-production"])
    expert_with("third@example.org", atmp_types=["gtmp_ex_vivo"])  # score 1: beyond the limit of 2
    expert_with("busy@example.org", areas=["car-t", "vector-production"], accepts=False)
    expert_with("unrelated@example.org", areas=["ethics"])
    expert_with("pending@example.org", areas=["car-t", "vector-production"], role="pending")
    # The routing task runs (eagerly) after commit and queues its e-mails on commit too.
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(asker, topics=["car-t", "vector-production"], atmp_type="gtmp_ex_vivo")
    routed = list(QuestionRouting.objects.filter(question=question).values_list("expert__email", "score"))
    assert routed == [("best@example.org", 5), ("second@example.org", 2)]
    assert sorted(m.to[0] for m in mail.outbox) == ["best@example.org", "second@example.org"]
    assert question.title in mail.outbox[0].subject
    # A second delivery of the task changes nothing.
    from experts.knowledge.tasks import route_question

    assert route_question(question.pk) == 0 and QuestionRouting.objects.count() == 2


@pytest.mark.django_db
def test_email_preferences_immediate_daily_never_and_the_digest(asker, django_capture_on_commit_callbacks):
    daily = expert_with("daily@example.org", areas=["car-t"])
    never = expert_with("never@example.org", areas=["car-t"])
    NotificationPreference.objects.create(user=daily, email_frequency="daily")
    NotificationPreference.objects.create(user=never, email_frequency="never")
    follower = expert_with("follower@example.org", accepts=False)
    TopicFollow.objects.create(user=follower, topic=ExpertiseArea.objects.get(slug="car-t"))
    with django_capture_on_commit_callbacks(execute=True):
        ask(asker, topics=["car-t"])
        ask(asker, title="Second question", topics=["car-t"])
    assert sorted({m.to[0] for m in mail.outbox}) == ["follower@example.org"]
    assert DigestNotice.objects.filter(user=daily, sent_at__isnull=True).count() == 2
    assert not DigestNotice.objects.filter(user=never).exists()

    mail.outbox.clear()
    assert send_daily_digests() == 1
    assert [m.to for m in mail.outbox] == [["daily@example.org"]]
    assert "Second question" in mail.outbox[0].body and "(2 notices)" in mail.outbox[0].subject
    assert send_daily_digests() == 0  # claimed notices are not sent twice


@pytest.mark.django_db
def test_answer_accept_helpful_and_comment(asker, client_for, cast, django_capture_on_commit_callbacks):
    question = ask(asker, topics=["car-t"])
    answerer = cast["expert"]
    answer = service.answer_post(question=question, author=answerer, body="Use a **bridging** study.")
    assert QuestionFollow.objects.filter(user=answerer, question=question).exists()
    with pytest.raises(service.ThreadError):
        service.answer_accept(answer=answer, by=answerer)
    with django_capture_on_commit_callbacks(execute=True):
        service.answer_accept(answer=answer, by=asker)
    assert Question.objects.get().accepted_answer == answer
    assert any(m.to == [answerer.email] and "accepted" in m.subject for m in mail.outbox)

    pending = client_for("pending")
    pending.post(f"/knowledge/answers/{answer.pk}/helpful/")
    assert answer.helpful_marks.count() == 1
    client_for("expert").post(f"/knowledge/answers/{answer.pk}/helpful/")  # own answer: refused
    assert answer.helpful_marks.count() == 1
    client_for("owner").post(f"/knowledge/answers/{answer.pk}/comment/", {"body": "Which potency assay?"})
    page = client_for("anonymous").get(question.get_absolute_url()).content.decode()
    assert "<strong>bridging</strong>" in page and "Which potency assay?" in page and "Accepted answer" in page
    assert "1 found this helpful" in page and answerer.email not in page and asker.email not in page

    question.is_locked = True
    question.save()
    with pytest.raises(service.ThreadError):
        service.answer_post(question=question, author=answerer, body="Late")
    client_for("expert").post(f"/knowledge/questions/{question.pk}/answer/", {"body": "Late"})
    assert Answer.objects.count() == 1


@pytest.mark.django_db
def test_visibility_of_questions_and_answers_by_role(cast, asker):
    public = ask(asker, title="Public question")
    ask(asker, title="Experts-only question", audience="experts")
    hidden = ask(asker, title="Hidden question")
    Question.objects.filter(pk=hidden.pk).update(is_hidden=True)
    service.answer_post(question=public, author=cast["expert"], body="Visible answer")
    hidden_answer = service.answer_post(question=public, author=cast["owner"], body="Hidden answer")
    Answer.objects.filter(pk=hidden_answer.pk).update(is_hidden=True)

    def titles(user):
        return {q.title for q in Question.objects.visible_to(user or AnonymousUser())}

    def answers(user):
        return {a.body for a in Answer.objects.visible_to(user or AnonymousUser())}

    assert titles(None) == titles(cast["pending"]) == {"Public question"}
    assert titles(cast["expert"]) == {"Public question", "Experts-only question"}
    assert titles(asker) == titles(cast["curator"]) == {"Public question", "Experts-only question", "Hidden question"}
    assert answers(None) == answers(cast["expert"]) == {"Visible answer"}
    assert answers(cast["owner"]) == answers(cast["admin"]) == {"Visible answer", "Hidden answer"}


@pytest.mark.django_db
def test_unanswered_questions_for_an_expert(client_for, cast, asker):
    profile = cast["expert"].profile
    profile.expertise_areas.set(ExpertiseArea.objects.filter(slug="car-t"))
    mine = ask(asker, title="Open CAR-T question", topics=["car-t"])
    ask(asker, title="Open ethics question", topics=["ethics"])
    page = client_for("expert").get("/knowledge/me/").content.decode()
    assert "Open CAR-T question" in page and "Open ethics question" not in page
    service.answer_post(question=mine, author=cast["owner"], body="Answered")
    assert "Open CAR-T question" not in client_for("expert").get("/knowledge/me/").content.decode()


@pytest.mark.django_db
def test_preference_and_follow_pages(client_for, cast):
    client = client_for("pending")
    client.post("/knowledge/me/", {"email_frequency": "daily"})
    assert NotificationPreference.frequency_of(cast["pending"]) == "daily"
    client.post("/knowledge/topics/car-t/follow/")
    assert TopicFollow.objects.filter(user=cast["pending"], topic__slug="car-t").exists()
    client.post("/knowledge/topics/car-t/follow/")
    assert not TopicFollow.objects.exists()
    assert client.post("/knowledge/me/", {"email_frequency": "hourly"}).status_code == 200


@pytest.mark.django_db
def test_asking_through_the_form_and_xss_in_questions_answers_and_comments(client_for, cast):
    client = client_for("expert")
    area = ExpertiseArea.objects.get(slug="car-t")
    payload = "\n\n".join(XSS_PAYLOADS)
    response = client.post("/knowledge/questions/ask/", {"title": XSS_PAYLOADS[0], "body": payload,
                                                         "topics": [area.pk], "audience": "public"})  # fmt: skip
    question = Question.objects.get()
    assert response.status_code == 302 and question.topics.get() == area
    client.post(f"/knowledge/questions/{question.pk}/answer/", {"body": payload})
    answer = Answer.objects.get()
    client_for("owner").post(f"/knowledge/answers/{answer.pk}/comment/", {"body": XSS_PAYLOADS[1]})
    for url in (question.get_absolute_url(), "/knowledge/questions/", "/knowledge/questions/?q=script"):
        page = client_for("anonymous").get(url)
        assert page.status_code == 200
        assert_inert(page.content.decode())
