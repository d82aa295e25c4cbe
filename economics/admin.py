# Evaluations are personal working files, not curated content: only administrators see them here
# (no entry in CURATION_MODELS), to help users who ask for support.
from django.contrib import admin

from .models import Evaluation, SimulationJob


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "visibility", "updated_at")
    list_filter = ("visibility",)
    search_fields = ("name",)
    raw_id_fields = ("owner", "scenario_of", "source_product")


@admin.register(SimulationJob)
class SimulationJobAdmin(admin.ModelAdmin):
    list_display = ("__str__", "evaluation", "status", "progress", "created_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("evaluation", "requested_by")
