"""Curators' admin for knowledge items. Review decisions go through the same services as the pages."""

from __future__ import annotations

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from platform_site.curation import ReviewError

from .models import (
    CaseStudy,
    CountrySwot,
    Event,
    Hurdle,
    Milestone,
    ModerationAction,
    NewsPost,
    Question,
    RegulatoryRoute,
    Report,
    Resource,
)
from .services.cases import case_study_approve
from .services.library import resource_approve, resource_verify


class _Inline(admin.TabularInline):
    extra = 0


class MilestoneInline(_Inline):
    model = Milestone


class RouteInline(_Inline):
    model = RegulatoryRoute


class SwotInline(admin.StackedInline):
    model = CountrySwot
    extra = 0


class HurdleInline(_Inline):
    model = Hurdle


def _approve(modeladmin, request, queryset, service, field):
    for obj in queryset:
        try:
            service(**{field: obj, "reviewer": request.user})
        except ReviewError as error:
            messages.error(request, str(error))


@admin.register(CaseStudy)
class CaseStudyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "atmp_type", "stage", "curation_status", "owner", "is_demo"]
    list_filter = ["curation_status", "atmp_type", "stage", "is_demo"]
    search_fields = ["title", "indication"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["product", "owner"]
    readonly_fields = ["curation_status", "submitted_at", "reviewed_by", "reviewed_at", "review_comment"]
    inlines = [MilestoneInline, RouteInline, SwotInline, HurdleInline]
    actions = ["approve_selected"]

    @admin.action(description="Approve and publish the selected submissions (four eyes apply)")
    def approve_selected(self, request, queryset):
        _approve(self, request, queryset, case_study_approve, "case")


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "country", "last_verified_on", "link_status", "curation_status"]
    list_filter = ["kind", "curation_status", "country"]
    search_fields = ["title", "description"]
    raw_id_fields = ["authority", "owner"]
    readonly_fields = ["curation_status", "submitted_at", "reviewed_by", "reviewed_at", "review_comment",
                       "link_checked_at", "link_status", "link_error", "verified_by"]  # fmt: skip
    actions = ["approve_selected", "verify_selected"]

    @admin.action(description="Approve and publish the selected submissions (four eyes apply)")
    def approve_selected(self, request, queryset):
        _approve(self, request, queryset, resource_approve, "resource")

    @admin.action(description="Mark the selected resources verified today")
    def verify_selected(self, request, queryset):
        for resource in queryset:
            resource_verify(resource=resource, curator=request.user)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "is_locked", "is_hidden", "created_at"]
    list_filter = ["audience", "is_locked", "is_hidden"]
    search_fields = ["title"]
    raw_id_fields = ["author", "accepted_answer"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "time_zone", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "organiser"]


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "author"]
    search_fields = ["title"]
    raw_id_fields = ["author"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "reason", "created_at", "resolved_at"]
    list_filter = ["reason"]
    readonly_fields = [f.name for f in Report._meta.fields]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The log is append-only: it is written by the moderation queue."""

    list_display = ["created_at", "item_label", "action", "moderator", "reason"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in ModerationAction._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
