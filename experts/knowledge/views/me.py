"""A signed-in user's knowledge page: unanswered questions for them, follows, e-mail preference, their cases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render

from experts.models import ExpertiseArea
from platform_site.permissions import is_expert

from ..forms import PreferenceForm
from ..models import CaseStudy, NotificationPreference, Question, TopicFollow


def unanswered_for(user, limit: int = 20):
    """Open questions routed to the expert or tagged with one of their expertise areas."""
    areas = user.profile.expertise_areas.all()
    return (
        Question.objects.visible_to(user)
        .unanswered()
        .filter(Q(routings__expert=user) | Q(topics__in=areas))
        .exclude(author=user)
        .distinct()[:limit]
    )


@login_required
def me(request):
    preference, _ = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "E-mail preference saved.")
        return redirect("knowledge:me")
    followed = set(TopicFollow.objects.filter(user=request.user).values_list("topic_id", flat=True))
    return render(
        request,
        "knowledge/me.html",
        {
            "form": form,
            "topics": [(topic, topic.pk in followed) for topic in ExpertiseArea.objects.all()],
            "unanswered": unanswered_for(request.user) if is_expert(request.user) else [],
            "my_cases": CaseStudy.objects.filter(owner=request.user),
        },
    )
