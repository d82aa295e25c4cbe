"""Read-only admin views of the register refresh: every write goes through the curator pages' services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ProposedChange, RefreshJob, RegisterCheck, RegisterDraft, TrialRegisterFacts


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RefreshJob)
class RefreshJobAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "trigger",
        "state",
        "registry",
        "dry_run",
        "position",
        "changed",
        "unchanged",
        "failed",
    ]
    list_filter = ["state", "trigger", "registry", "dry_run"]
    exclude = ["trial_ids"]


@admin.register(RegisterCheck)
class RegisterCheckAdmin(ReadOnlyAdmin):
    list_display = ["checked_at", "trial", "registry", "register_id", "outcome", "record_date", "error"]
    list_filter = ["outcome", "registry"]
    search_fields = ["register_id", "error"]
    raw_id_fields = ["trial", "job"]


@admin.register(ProposedChange)
class ProposedChangeAdmin(ReadOnlyAdmin):
    list_display = ["trial", "field", "state", "registry", "register_id", "register_date", "curated_on_platform"]
    list_filter = ["state", "field", "registry", "curated_on_platform"]
    search_fields = ["register_id"]
    raw_id_fields = ["trial", "check_row", "decided_by"]


@admin.register(TrialRegisterFacts)
class TrialRegisterFactsAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["trial", "intervention_type", "start_date", "completion_date", "enrolment", "updated_at"]
    raw_id_fields = ["trial"]


@admin.register(RegisterDraft)
class RegisterDraftAdmin(ReadOnlyAdmin):
    list_display = ["register_id", "registry", "state", "created_by", "created_at"]
    list_filter = ["state", "registry"]
    raw_id_fields = ["created_by", "trial"]
