"""The model workbook's live formulas, recalculated by a spreadsheet engine, give the engine's numbers to the cent."""

from dataclasses import replace

import formulas
import pytest

from economics.engine import evaluate
from economics.engine.defaults import default_inputs
from economics.engine.model import DiscountTiming, ErosionTarget, UptakeCurve
from economics.engine.serialization import inputs_from_dict
from economics.workbook import rnpv_workbook


def recalculated(inputs, tmp_path) -> tuple[float, float]:
    """(NPV, rNPV) read from the Model sheet after recalculating every formula."""
    path = tmp_path / "model.xlsx"
    path.write_bytes(rnpv_workbook(inputs, "test"))
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    total = inputs.horizon_years + 3

    def cell(ref: str) -> float:
        key = next(k for k in solution if k.upper().endswith(f"MODEL'!{ref}"))
        return float(solution[key].value[0][0])

    return cell(f"B{total}"), cell(f"B{total + 1}")


def _all_terms():
    inputs = inputs_from_dict(default_inputs("gene_therapy", "rare_disease", "preclinical")[0])
    phases = (replace(inputs.phases[0], cost_is_per_year=True), *inputs.phases[1:])
    market = replace(
        inputs.market,
        uptake_curve=UptakeCurve.S_CURVE,
        uptake_steepness=2.0,
        exclusivity_years=4.0,
        erosion_steps_after_exclusivity=(0.25, 0.1),
        erosion_applies_to=ErosionTarget.VOLUME,
        launch_cost_eur=30_000_000.0,
        launch_delay_years=0.5,
    )
    conventions = replace(inputs.conventions, discount_timing=DiscountTiming.START_OF_YEAR, tax_loss_carry_forward=True)
    return replace(inputs, phases=phases, market=market, conventions=conventions)


@pytest.mark.parametrize(
    "inputs",
    [inputs_from_dict(default_inputs("car_t", "oncology", "phase_1")[0]), _all_terms()],
    ids=["defaults", "every-market-term"],
)
def test_the_workbook_recalculates_to_the_engine_to_the_cent(inputs, tmp_path):
    result = evaluate(inputs)
    npv, rnpv = recalculated(inputs, tmp_path)
    assert npv == pytest.approx(result.npv_eur, abs=0.005)
    assert rnpv == pytest.approx(result.rnpv_eur, abs=0.005)
