from django.apps import AppConfig


class RegistersConfig(AppConfig):
    """Keeping trial facts current from ClinicalTrials.gov, CTIS and the EU Clinical Trials Register."""

    name = "trials.registers"
    label = "registers"
    verbose_name = "Trial registers"
