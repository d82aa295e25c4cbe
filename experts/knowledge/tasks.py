"""Celery tasks of the knowledge section: question routing and the daily digest."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from platform_site.permissions import is_expert


@shared_task(name="knowledge.route_question")
def route_question(question_id: int) -> int:
    """Notify the best-matching experts and the followers of the question's topics; returns experts routed."""
    from .models import Question, QuestionRouting, TopicFollow
    from .notify import notify
    from .routing import matching_experts

    # Claim the question: a re-delivered task must not e-mail everybody twice.
    if not Question.objects.filter(pk=question_id, routed_at__isnull=True).update(routed_at=timezone.now()):
        return 0
    question = Question.objects.select_related("author").get(pk=question_id)
    context = {"question": question, "path": question.get_absolute_url()}
    told = {question.author_id}
    with transaction.atomic():
        experts = matching_experts(question)
        for profile in experts:
            QuestionRouting.objects.get_or_create(
                question=question, expert=profile.user, defaults={"score": profile.score}
            )
            notify(profile.user, subject=f"A question for your expertise: “{question.title}”",
                   template="knowledge/email/question_routed.txt", context=context)  # fmt: skip
            told.add(profile.user_id)
        followers = TopicFollow.objects.filter(topic__in=question.topics.all()).select_related("user")
        for follow in followers:
            if follow.user_id in told or (question.audience == "experts" and not is_expert(follow.user)):
                continue
            told.add(follow.user_id)
            notify(follow.user, subject=f"New question in a topic you follow: “{question.title}”",
                   template="knowledge/email/question_routed.txt", context={**context, "followed": True})  # fmt: skip
    return len(experts)


@shared_task(name="knowledge.send_daily_digests")
def send_daily_digests() -> int:
    """One e-mail per user with notices waiting; each notice is claimed before it is sent. Returns e-mails sent."""
    from django.contrib.auth import get_user_model

    from .models import DigestNotice

    sent = 0
    user_ids = DigestNotice.objects.filter(sent_at__isnull=True).values_list("user_id", flat=True).distinct()
    for user in get_user_model().objects.filter(pk__in=list(user_ids), is_active=True):
        pending = list(DigestNotice.objects.filter(user=user, sent_at__isnull=True).values_list("pk", flat=True))
        claimed_at = timezone.now()
        if not DigestNotice.objects.filter(pk__in=pending, sent_at__isnull=True).update(sent_at=claimed_at):
            continue
        notices = DigestNotice.objects.filter(pk__in=pending, sent_at=claimed_at)
        body = "\n\n---\n\n".join(f"{n.subject}\n\n{n.body}" for n in notices)
        subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your daily digest ({len(notices)} notices)"
        try:
            send_mail(subject, body, None, [user.email])
        except OSError:
            # Release the claim so tomorrow's digest carries these notices.
            notices.update(sent_at=None)
            raise
        sent += 1
    return sent


@shared_task(name="knowledge.check_resource_link")
def check_resource_link(resource_id: int) -> int | None:
    from .services.library import resource_link_check

    resource = resource_link_check(resource_id=resource_id)
    return resource.link_status if resource else None


@shared_task(name="knowledge.check_resource_links")
def check_resource_links() -> int:
    """The periodic link check: one task per resource with a source URL; returns how many were queued."""
    from .models import Resource

    ids = list(Resource.objects.exclude(source_url="").values_list("pk", flat=True))
    for pk in ids:
        check_resource_link.delay(pk)
    return len(ids)
