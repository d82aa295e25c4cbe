from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "Experts and accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401
