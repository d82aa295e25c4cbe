from django.apps import AppConfig


class EconomicsConfig(AppConfig):
    verbose_name = "Economic evaluation (rNPV)"
    name = "economics"
