"""'Report this' on every item, and the curators' moderation queue."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from experts.models import KnowledgeArticle
from platform_site.permissions import curator_required

from ..models import Answer, AnswerComment, CaseStudy, ModerationAction, Question, Report, ReportReason, Resource
from ..services.moderation import REPORTABLES, ModerationError, moderate, report_create

RECENT_DAYS = 30


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=ReportReason.choices, widget=forms.RadioSelect)
    details = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    key = forms.ChoiceField(choices=[(k, k) for k in REPORTABLES])
    pk = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=ModerationAction.Kind.choices)
    reason = forms.CharField(max_length=2000)
    text = forms.CharField(required=False, max_length=50_000)


def _visible_item(user, key: str, pk: int):
    """The item, if this user may see it (a report needs no more rights than reading)."""
    reportable = REPORTABLES.get(key)
    if reportable is None:
        raise Http404
    if reportable.model is AnswerComment:
        queryset = AnswerComment.objects.filter(answer__in=Answer.objects.visible_to(user), is_hidden=False)
    else:
        queryset = reportable.model.objects.visible_to(user)
    item = queryset.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@login_required
def report_item(request, key, pk):
    item = _visible_item(request.user, key, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report_create(obj=item, reporter=request.user, **form.cleaned_data)
        messages.success(request, "Thank you: the curators will look at your report.")
        return redirect(item)
    return render(request, "knowledge/report_form.html", {"form": form, "item": item})


@curator_required
def queue(request):
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    reports = list(Report.objects.filter(resolved_at__isnull=True).select_related("content_type", "reporter"))
    by_item: dict = {}
    for report in reports:
        by_item.setdefault((report.content_type_id, report.object_id), []).append(report)
    reported = []
    for item_reports in by_item.values():
        item = item_reports[0].item
        if item is not None:
            key = next((k for k, r in REPORTABLES.items() if isinstance(item, r.model)), "")
            reported.append({"item": item, "key": key, "reports": item_reports})
    return render(
        request,
        "knowledge/moderation_queue.html",
        {
            "reported": reported,
            "submitted": [("case", c) for c in CaseStudy.objects.awaiting_review()]
            + [("resource", r) for r in Resource.objects.awaiting_review()],
            "recent_articles": KnowledgeArticle.objects.filter(published_at__gte=since, status="published"),
            "recent_questions": Question.objects.filter(created_at__gte=since, is_hidden=False)[:50],
            "hidden": [("question", q) for q in Question.objects.filter(is_hidden=True)]
            + [("answer", a) for a in Answer.objects.filter(is_hidden=True).select_related("question")],
            "log": ModerationAction.objects.select_related("moderator", "content_type")[:50],
            "actions": ModerationAction.Kind.choices,
        },
    )


@require_POST
@curator_required
def act(request):
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an action and give a reason.")
        return redirect("knowledge:moderation")
    try:
        logged = moderate(moderator=request.user, **form.cleaned_data)
    except ModerationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{logged.get_action_display()}: “{logged.item_label}”. Logged.")
    return redirect("knowledge:moderation")
