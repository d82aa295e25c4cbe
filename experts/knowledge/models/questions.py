"""Questions and answers among experts: ask, answer, accept, mark helpful, comment, follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from trials.models import AtmpType

from .cases import MARKDOWN_HELP
from .common import Audience


class ThreadQuerySet(models.QuerySet):
    """Questions (and their answers and comments) hidden by a curator stay visible to their author and curators."""

    def visible_to(self, user, *, author_field="author", audience_field="audience"):
        from platform_site.permissions import is_curator, is_expert

        if is_curator(user):
            return self
        shown = Q(is_hidden=False)
        if user.is_authenticated:
            shown |= Q(**{author_field: user})
        if not is_expert(user):
            shown &= Q(**{audience_field: Audience.PUBLIC})
        return self.filter(shown)


class QuestionQuerySet(ThreadQuerySet):
    def with_answer_count(self):
        return self.annotate(answer_count=Count("answers", filter=Q(answers__is_hidden=False), distinct=True))

    def unanswered(self):
        return self.with_answer_count().filter(answer_count=0, is_locked=False)


class Question(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=MARKDOWN_HELP)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions")
    topics = models.ManyToManyField("experts.ExpertiseArea", related_name="questions", help_text="Topic tags.")
    atmp_type = models.CharField("ATMP type", max_length=20, choices=AtmpType.choices, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    accepted_answer = models.ForeignKey("Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_locked = models.BooleanField(default=False, help_text="Locked threads take no new answers or comments.")
    is_hidden = models.BooleanField(default=False, help_text="Unpublished by a curator.")
    routed_at = models.DateTimeField(null=True, blank=True, help_text="When matching experts were notified.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:question_detail", args=[self.pk])

    def is_owned_by(self, user) -> bool:
        return self.author_id == user.pk


class AnswerQuerySet(ThreadQuerySet):
    def visible_to(self, user, **kwargs):
        return (
            super()
            .visible_to(user, audience_field="question__audience")
            .filter(question__in=Question.objects.visible_to(user))
        )


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers")
    body = models.TextField(help_text=MARKDOWN_HELP)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Answer to “{self.question}”"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    def is_owned_by(self, user) -> bool:
        return self.author_id == user.pk


class HelpfulMark(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("answer", "user")]


class AnswerComment(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=2000)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.answer}"

    def get_absolute_url(self) -> str:
        return self.answer.get_absolute_url()

    def is_owned_by(self, user) -> bool:
        return self.author_id == user.pk


class QuestionRouting(models.Model):
    """An expert suggested for a question (best match of expertise areas and ATMP types)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="routings")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routed_questions")
    score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("question", "expert")]
        ordering = ["-score", "pk"]


class QuestionFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        unique_together = [("user", "question")]


class TopicFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows")
    topic = models.ForeignKey("experts.ExpertiseArea", on_delete=models.CASCADE, related_name="+")

    class Meta:
        unique_together = [("user", "topic")]
