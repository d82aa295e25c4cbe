from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    verbose_name = "GMP facilities"
    name = "facilities"
