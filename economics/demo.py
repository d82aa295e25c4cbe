"""Demo content for this app; `manage.py load_demo` calls load(). Idempotent: keyed by name and owner."""

from economics import services
from economics.engine.defaults import default_inputs
from economics.models import Evaluation, Visibility

DEMO_NAME = "Demo: academic CAR-T for lymphoma (fictional)"


def load(*, stdout=None) -> None:
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.filter(email="expert@demo.atmp-platform.invalid").first()
    if owner is None or Evaluation.objects.filter(owner=owner, name=DEMO_NAME).exists():
        return
    inputs, _ = default_inputs("car_t", "oncology", "phase_1_2")
    uncertainty = {
        "market.price_per_treatment_eur": {"kind": "pert", "low": 250000, "mode": 350000, "high": 450000},
        "market.eligible_patients_per_year": {"kind": "normal", "mode": 1000, "sd": 200, "low": 500, "high": 1500},
    }
    evaluation = services.evaluation_save(
        owner=owner, name=DEMO_NAME, inputs=inputs, uncertainty=uncertainty, atmp_kind="car_t", indication="oncology"
    )
    services.evaluation_share(evaluation=evaluation, visibility=Visibility.EXPERTS)
    if stdout:
        stdout.write(f"economics: demo evaluation “{DEMO_NAME}” shared with experts\n")
