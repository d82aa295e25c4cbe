from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import ExpertiseArea, ExpertProfile, KnowledgeArticle, User
from .services import expert_approve, expert_revoke


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are the administrators' business; curators see profiles instead."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(admin.ModelAdmin):
    """The controlled taxonomy: experts pick from it; knowledge resources are tagged with it."""

    list_display = ["name", "slug", "ordering", "expert_count"]
    list_editable = ["ordering"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_experts=models.Count("experts"))

    @admin.display(description="experts", ordering="_experts")
    def expert_count(self, obj):
        return obj._experts


class ApprovalFilter(admin.SimpleListFilter):
    title = "approval"
    parameter_name = "approval"

    def lookups(self, request, model_admin):
        return [("pending", "Pending"), ("approved", "Approved")]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "approved":
            return queryset.approved()
        return queryset


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user_email", "affiliation", "stakeholder_type", "is_approved", "is_public"]
    list_filter = [ApprovalFilter, "stakeholder_type", "is_public", "country"]
    search_fields = ["display_name", "user__email", "affiliation", "expertise"]
    readonly_fields = ["user", "approved_at", "approved_by", "created_at", "updated_at"]
    actions = ["approve_experts", "revoke_experts"]
    list_select_related = ["user"]

    @admin.display(description="e-mail", ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.display(boolean=True, description="approved")
    def is_approved(self, obj):
        return obj.is_approved

    def has_add_permission(self, request):
        return False  # profiles come with accounts

    @admin.action(description="Approve selected users as experts (they are e-mailed)")
    def approve_experts(self, request, queryset):
        approved = sum(expert_approve(profile=p, approved_by=request.user) for p in queryset.select_related("user"))
        self.message_user(request, f"Approved {approved} expert(s).", messages.SUCCESS)

    @admin.action(description="Revoke expert status")
    def revoke_experts(self, request, queryset):
        for profile in queryset.approved():
            expert_revoke(profile=profile)
        self.message_user(request, "Expert status revoked.", messages.SUCCESS)


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "topic", "audience", "status", "author", "published_at"]
    list_filter = ["status", "topic", "audience"]
    search_fields = ["title", "summary", "body", "author__email"]
    list_select_related = ["author"]
    readonly_fields = ["created_at", "updated_at"]
