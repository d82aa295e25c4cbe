"""Which experts should see a new question: the best matches of expertise areas and ATMP type.

Score = 2 per shared topic + 1 when the expert lists the question's ATMP type. Only
approved experts who accept questions are considered; the asker never is. Ties go to
the earlier profile so the choice is stable.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from experts.models import ExpertProfile
from platform_site.roles import EXPERT_GROUP


def matching_experts(question, *, limit: int | None = None):
    """ExpertProfiles annotated with `score`, best first, at most `limit` (KNOWLEDGE_QUESTION_ROUTING_MAX)."""
    limit = settings.KNOWLEDGE_QUESTION_ROUTING_MAX if limit is None else limit
    topic_ids = list(question.topics.values_list("pk", flat=True))
    type_match = (
        Case(When(atmp_types__has=question.atmp_type, then=Value(1)), default=Value(0), output_field=IntegerField())
        if question.atmp_type
        else Value(0, output_field=IntegerField())
    )
    profiles = (
        ExpertProfile.objects.approved()
        .filter(accepts_questions=True, user__groups__name=EXPERT_GROUP)
        .exclude(user_id=question.author_id)
        .annotate(topic_matches=Count("expertise_areas", filter=Q(expertise_areas__in=topic_ids), distinct=True))
        .annotate(score=2 * F("topic_matches") + type_match)
        .filter(score__gt=0)
        .select_related("user")
        .order_by("-score", "pk")
    )
    return list(profiles[:limit])
