from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "experts.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .search_index import connect_signals

        connect_signals()
