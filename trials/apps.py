from django.apps import AppConfig


class TrialsConfig(AppConfig):
    verbose_name = "ATMP products and trials"
    name = "trials"
