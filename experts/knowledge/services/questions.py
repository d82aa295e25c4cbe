"""Writing questions, answers, comments, helpful marks and follows; who is told about each."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from platform_site.permissions import is_expert

from ..models import Answer, AnswerComment, HelpfulMark, Question, QuestionFollow, TopicFollow
from ..notify import notify


class ThreadError(ValueError):
    """A write the thread does not allow (locked, not yours to accept, ...); the message says why."""


def _notify_followers(question: Question, *, except_ids: set[int], subject: str, context: dict) -> None:
    followers = {f.user for f in question.follows.select_related("user")}
    for user in followers:
        if user.pk in except_ids:
            continue
        if question.audience == "experts" and not is_expert(user):
            continue
        notify(user, subject=subject, template="knowledge/email/thread_activity.txt",
               context={"question": question, **context})  # fmt: skip


@transaction.atomic
def question_ask(*, author, title: str, body: str, topics, atmp_type: str = "", audience: str = "public") -> Question:
    """Post a question; the asker follows it, and matching experts are routed to it by a Celery task."""
    from ..tasks import route_question

    question = Question.objects.create(author=author, title=title, body=body, atmp_type=atmp_type, audience=audience)
    question.topics.set(topics)
    QuestionFollow.objects.get_or_create(user=author, question=question)
    transaction.on_commit(lambda: route_question.delay(question.pk))
    return question


@transaction.atomic
def answer_post(*, question: Question, author, body: str) -> Answer:
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.is_locked:
        raise ThreadError("This thread is locked: it takes no new answers.")
    answer = Answer.objects.create(question=question, author=author, body=body)
    QuestionFollow.objects.get_or_create(user=author, question=question)
    _notify_followers(
        question,
        except_ids={author.pk},
        subject=f"New answer to “{question.title}”",
        context={"what": "A new answer was posted", "path": answer.get_absolute_url()},
    )
    return answer


@transaction.atomic
def answer_accept(*, answer: Answer, by) -> Question:
    """The asker accepts one answer (accepting it again un-accepts it)."""
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    if question.author_id != by.pk:
        raise ThreadError("Only the person who asked accepts an answer.")
    question.accepted_answer = None if question.accepted_answer_id == answer.pk else answer
    question.save(update_fields=["accepted_answer", "updated_at"])
    if question.accepted_answer_id and answer.author_id != by.pk:
        notify(answer.author, subject=f"Your answer to “{question.title}” was accepted",
               template="knowledge/email/thread_activity.txt",
               context={"question": question, "what": "The asker accepted your answer",
                        "path": answer.get_absolute_url()})  # fmt: skip
    return question


@transaction.atomic
def answer_mark_helpful(*, answer: Answer, user) -> bool:
    """Toggle the user's helpful mark; returns whether it is now marked. Nobody marks their own answer."""
    if answer.author_id == user.pk:
        raise ThreadError("You cannot mark your own answer as helpful.")
    mark, created = HelpfulMark.objects.get_or_create(answer=answer, user=user)
    if not created:
        mark.delete()
    return created


@transaction.atomic
def comment_post(*, answer: Answer, author, body: str) -> AnswerComment:
    if Question.objects.filter(pk=answer.question_id, is_locked=True).exists():
        raise ThreadError("This thread is locked: it takes no new comments.")
    comment = AnswerComment.objects.create(answer=answer, author=author, body=body)
    if answer.author_id != author.pk:
        notify(answer.author, subject=f"New comment on your answer to “{answer.question.title}”",
               template="knowledge/email/thread_activity.txt",
               context={"question": answer.question, "what": "Someone commented on your answer",
                        "path": answer.get_absolute_url()})  # fmt: skip
    return comment


def question_follow_toggle(*, question: Question, user) -> bool:
    follow, created = QuestionFollow.objects.get_or_create(user=user, question=question)
    if not created:
        follow.delete()
    return created


def topic_follow_toggle(*, topic, user) -> bool:
    follow, created = TopicFollow.objects.get_or_create(user=user, topic=topic)
    if not created:
        follow.delete()
    return created


def question_path(question: Question) -> str:
    return reverse("knowledge:question_detail", args=[question.pk])
