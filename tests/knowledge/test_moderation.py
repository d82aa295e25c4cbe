import pytest
from django.core import mail

from experts.knowledge.models import Answer, ModerationAction, Question, Report
from experts.knowledge.services.moderation import ModerationError, moderate
from experts.knowledge.services.questions import answer_post, comment_post
from experts.models import KnowledgeArticle

from .conftest import XSS_PAYLOADS, ask, assert_inert, make_case


@pytest.mark.django_db
def test_report_then_unpublish_lock_warn_and_the_log(client_for, cast, owner, django_capture_on_commit_callbacks):
    question = ask(owner, title="A doubtful question")
    answer = answer_post(question=question, author=owner, body="Spammy answer")
    page = client_for("expert").get(question.get_absolute_url()).content.decode()
    assert f"/knowledge/report/question/{question.pk}/" in page and f"/knowledge/report/answer/{answer.pk}/" in page
    assert "Report this" not in client_for("anonymous").get(question.get_absolute_url()).content.decode()

    client_for("expert").post(f"/knowledge/report/answer/{answer.pk}/", {"reason": "spam", "details": "An advert"})
    client_for("pending").post(f"/knowledge/report/answer/{answer.pk}/", {"reason": "offensive"})
    assert Report.objects.filter(resolved_at__isnull=True).count() == 2
    queue = client_for("curator").get("/knowledge/moderation/").content.decode()
    assert "Spam or advertising" in queue and "An advert" in queue

    curator = client_for("curator")
    curator.post("/knowledge/moderation/act/", {"key": "answer", "pk": answer.pk, "action": "unpublish", "reason": ""})
    assert not Answer.objects.get().is_hidden  # no reason, no action
    with django_capture_on_commit_callbacks(execute=True):
        curator.post("/knowledge/moderation/act/",
                     {"key": "answer", "pk": answer.pk, "action": "unpublish", "reason": "Advertising"})  # fmt: skip
        curator.post("/knowledge/moderation/act/",
                     {"key": "question", "pk": question.pk, "action": "lock", "reason": "Off topic"})  # fmt: skip
    assert Answer.objects.get().is_hidden and Question.objects.get().is_locked
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert [m.to for m in mail.outbox] == [[owner.email], [owner.email]] and "Advertising" in mail.outbox[0].body
    log = list(ModerationAction.objects.values_list("action", "moderator__email", "reason"))
    assert log == [("lock", cast["curator"].email, "Off topic"), ("unpublish", cast["curator"].email, "Advertising")]
    assert "Spammy answer" not in client_for("expert").get(question.get_absolute_url()).content.decode()
    assert "Off topic" in client_for("curator").get("/knowledge/moderation/").content.decode()


@pytest.mark.django_db
def test_moderating_every_kind(cast, owner, curator):
    case = make_case(owner, title="Moderated case", slug="moderated")
    moderate(key="case", pk=case.pk, action="unpublish", moderator=curator, reason="Outdated")
    case.refresh_from_db()
    assert case.curation_status == "draft"
    with pytest.raises(ModerationError):  # never reviewed: it goes through the review flow first
        moderate(key="case", pk=case.pk, action="approve", moderator=curator, reason="OK")
    article = KnowledgeArticle.objects.create(title="Art", body="x", topic="regulatory", author=owner)
    article.publish()
    article.save()
    moderate(key="article", pk=article.pk, action="edit", moderator=curator, reason="Typo", text="Fixed text")
    moderate(key="article", pk=article.pk, action="unpublish", moderator=curator, reason="Wrong")
    article.refresh_from_db()
    assert article.body == "Fixed text" and article.status == "draft"
    question = ask(owner)
    comment = comment_post(answer=answer_post(question=question, author=cast["expert"], body="A"), author=owner,
                           body="C")  # fmt: skip
    moderate(key="comment", pk=comment.pk, action="unpublish", moderator=curator, reason="Rude")
    comment.refresh_from_db()
    assert comment.is_hidden
    for bad in [{"key": "answer", "action": "lock"}, {"key": "nope", "action": "warn"},
                {"key": "question", "action": "explode"}]:  # fmt: skip
        with pytest.raises(ModerationError):
            moderate(pk=question.pk, moderator=curator, reason="x", **bad)
    with pytest.raises(ModerationError):
        moderate(key="question", pk=question.pk, action="warn", moderator=cast["expert"], reason="x")


@pytest.mark.django_db
def test_reports_need_the_right_to_read_the_item_and_render_inert(client_for, owner):
    hidden = ask(owner, title="Experts-only", audience="experts")
    assert client_for("pending").get(f"/knowledge/report/question/{hidden.pk}/").status_code == 404
    assert client_for("expert").get(f"/knowledge/report/question/{hidden.pk}/").status_code == 200
    public = ask(owner, title=XSS_PAYLOADS[0])
    client_for("expert").post(f"/knowledge/report/question/{public.pk}/", {"reason": "other",
                                                                           "details": XSS_PAYLOADS[1]})  # fmt: skip
    assert_inert(client_for("curator").get("/knowledge/moderation/").content.decode())
    assert client_for("expert").post(f"/knowledge/report/question/{public.pk}/", {"reason": "bogus"}).status_code == 200
