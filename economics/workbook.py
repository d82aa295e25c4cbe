"""An XLSX workbook whose cells compute the deterministic rNPV with live formulas.

Inputs sit on the "Inputs" sheet; the "Model" sheet holds one row per year (discount factor,
phase costs, uptake, price, loss of exclusivity, tax, risk-adjusted cash flow and present
value) written as spreadsheet formulas over those inputs, so a user can audit or change the
model in a spreadsheet. The formulas restate docs/economics.md; a test recalculates the
workbook and matches the engine to the cent (tests/economics/test_workbook.py). Licensing
terms are not in the workbook (the engine's result shows them).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .engine.model import DiscountTiming, ErosionTarget, EvaluationInputs, UptakeCurve

_OFFSET = {DiscountTiming.END_OF_YEAR: 0.0, DiscountTiming.MID_YEAR: 0.5, DiscountTiming.START_OF_YEAR: 1.0}
_NO_EXCLUSIVITY_END = 1e6  # "never": far beyond any horizon, as the engine does
FIRST_PHASE_ROW = 30
MODEL_COLUMNS = (
    ("Year", "year"),
    ("Discount factor", "df"),
    ("Development cost", "dev"),
    ("Manufacturing set-up", "setup"),
    ("Sales year k", "k"),
    ("Uptake (share of peak)", "uptake"),
    ("Patients before loss of exclusivity", "patients0"),
    ("Price after yearly erosion", "price0"),
    ("Years after exclusivity", "after"),
    ("Share kept after exclusivity", "kept"),
    ("Patients treated", "patients"),
    ("Price per treatment", "price"),
    ("Revenue", "revenue"),
    ("Cost of goods", "cogs"),
    ("Operating costs (incl. launch)", "opex"),
    ("Operating profit", "profit"),
    ("Cumulative operating profit", "cumulative"),
    ("Taxed so far (carry-forward)", "taxed"),
    ("Taxable profit", "taxable"),
    ("Tax", "tax"),
    ("Net commercial cash flow", "commercial"),
    ("Net cash flow if all succeeds", "net"),
    ("Risk-adjusted development cost", "rdev"),
    ("Risk-adjusted cash flow", "rnet"),
    ("Present value", "pv"),
    ("Risk-adjusted present value", "rpv"),
)
COL = {key: get_column_letter(i + 1) for i, (_, key) in enumerate(MODEL_COLUMNS)}
_INPUT_ROWS = (
    ("discount_rate", "Discount rate per year"),
    ("tax_rate", "Tax rate"),
    ("offset", "Discount timing offset (0 end, 0.5 mid, 1 start of year)"),
    ("horizon", "Horizon (years)"),
    ("carry_forward", "Tax losses carried forward (1 yes, 0 no)"),
    ("eligible", "Eligible patients per year"),
    ("share", "Share treated at peak"),
    ("peak_years", "Years from launch to peak"),
    ("price", "Price per treatment (€)"),
    ("cogs", "Cost of goods per treatment (€)"),
    ("erosion", "Price erosion per year"),
    ("exclusivity", "Sales years of exclusivity (1e6: none)"),
    ("drop", "Share lost in the first year after exclusivity"),
    ("setup", "Manufacturing set-up (€)"),
    ("commercial", "Commercial costs per year (€)"),
    ("pharmacovigilance", "Pharmacovigilance costs per year (€)"),
    ("launch_delay", "Delay from end of development to launch (years)"),
    ("launch_cost", "Launch costs in the first sales year (€)"),
    ("s_curve", "S-curve uptake (1 yes, 0 linear)"),
    ("steepness", "S-curve steepness"),
    ("volume", "Loss of exclusivity erodes volume (1) or price (0)"),
    ("development_end", "End of development + launch delay (years)"),
    ("first_sales_offset", "Whole years before the first sales year"),
    ("setup_year", "Year of the manufacturing set-up"),
    ("p_launch", "Probability of launch"),
    ("setup_weight", "Probability of reaching the last phase"),
)
ROW = {key: i + 2 for i, (key, _) in enumerate(_INPUT_ROWS)}


def _ref(key: str) -> str:
    return f"Inputs!$B${ROW[key]}"


def rnpv_workbook(inputs: EvaluationInputs, name: str) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Inputs"
    sheet["A1"], sheet["B1"] = "Input", "Value"
    sheet["A1"].font = sheet["B1"].font = Font(bold=True)
    sheet["D1"] = f"{name}: rNPV model (docs/economics.md). Change the blue inputs; the Model sheet recalculates."
    m = inputs.market
    values = {
        "discount_rate": inputs.discount_rate,
        "tax_rate": inputs.tax_rate,
        "offset": _OFFSET[inputs.conventions.discount_timing],
        "horizon": inputs.horizon_years,
        "carry_forward": int(inputs.conventions.tax_loss_carry_forward),
        "eligible": m.eligible_patients_per_year,
        "share": m.peak_treated_share,
        "peak_years": m.years_to_peak,
        "price": m.price_per_treatment_eur,
        "cogs": m.cogs_per_treatment_eur,
        "erosion": m.price_erosion_per_year,
        "exclusivity": _NO_EXCLUSIVITY_END if m.exclusivity_years is None else m.exclusivity_years,
        "drop": m.revenue_drop_after_exclusivity,
        "setup": m.manufacturing_setup_eur,
        "commercial": m.commercial_cost_eur_per_year,
        "pharmacovigilance": m.pharmacovigilance_cost_eur_per_year,
        "launch_delay": m.launch_delay_years,
        "launch_cost": m.launch_cost_eur,
        "s_curve": int(m.uptake_curve == UptakeCurve.S_CURVE),
        "steepness": m.uptake_steepness,
        "volume": int(m.erosion_applies_to == ErosionTarget.VOLUME),
    }
    phases = inputs.phases
    first, last = FIRST_PHASE_ROW, FIRST_PHASE_ROW + len(phases) - 1
    dev_end = f"ROUND(F{last}+{_ref('launch_delay')},9)" if phases else f"ROUND({_ref('launch_delay')},9)"
    formulas = {
        "development_end": f"={dev_end}",
        "first_sales_offset": f"=CEILING({_ref('development_end')},1)",
        "setup_year": f"=MAX({_ref('first_sales_offset')},1)",
        "p_launch": f"=G{last}*D{last}" if phases else "=1",
        "setup_weight": f"=G{last}" if phases else "=1",
    }
    for key, label in _INPUT_ROWS:
        sheet[f"A{ROW[key]}"] = label
        sheet[f"B{ROW[key]}"] = values[key] if key in values else formulas[key]
    sheet[f"A{first - 1}"] = "Phase"
    for column, title in zip(
        "BCDEFG",
        ("Duration (years)", "Total cost (€)", "Probability of success", "Start", "End", "P(reaching it)"),
        strict=True,
    ):
        sheet[f"{column}{first - 1}"] = title
    for i, phase in enumerate(phases):
        r = first + i
        sheet[f"A{r}"], sheet[f"B{r}"] = phase.name, phase.duration_years
        sheet[f"C{r}"] = f"={phase.cost_eur}*B{r}" if phase.cost_is_per_year else phase.total_cost_eur
        sheet[f"D{r}"] = phase.success_probability
        sheet[f"E{r}"] = "=0" if i == 0 else f"=F{r - 1}"
        sheet[f"F{r}"] = f"=ROUND(E{r}+B{r},9)"
        sheet[f"G{r}"] = "=1" if i == 0 else f"=G{r - 1}*D{r - 1}"
    steps_row = last + 3
    sheet[f"A{steps_row}"] = "Share kept after each further erosion step (first row: before any step)"
    steps = m.erosion_steps_after_exclusivity
    sheet[f"B{steps_row + 1}"] = 1
    for j, step in enumerate(steps):
        sheet[f"A{steps_row + 2 + j}"] = step
        sheet[f"B{steps_row + 2 + j}"] = f"=B{steps_row + 1 + j}*(1-A{steps_row + 2 + j})"
    kept_range = f"Inputs!$B${steps_row + 1}:$B${steps_row + 1 + len(steps)}"
    _model_sheet(wb, inputs, kept_range, len(steps))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _model_sheet(wb, inputs: EvaluationInputs, kept_range: str, step_count: int) -> None:
    sheet = wb.create_sheet("Model")
    phases = inputs.phases
    grid = [get_column_letter(len(MODEL_COLUMNS) + 2 + i) for i in range(len(phases))]
    for i, (title, _) in enumerate(MODEL_COLUMNS):
        sheet.cell(row=1, column=i + 1, value=title).font = Font(bold=True)
    for i, phase in enumerate(phases):
        sheet[f"{grid[i]}1"] = f"Cost of {phase.name}"
    r_, t_ = _ref("discount_rate"), _ref("peak_years")
    s_ = _ref("steepness")

    def logistic(x: str) -> str:
        return f"(1/(1+EXP(-{s_}*(({x})-{t_}/2))))"

    horizon = inputs.horizon_years
    for y in range(1, horizon + 1):
        row = y + 1
        c = {key: f"{COL[key]}{row}" for key in COL}
        prev = {key: f"{COL[key]}{row - 1}" for key in COL}
        for i in range(len(phases)):
            p = FIRST_PHASE_ROW + i
            sheet[f"{grid[i]}{row}"] = (
                f"=IF(Inputs!$B${p}>0,Inputs!$C${p}/Inputs!$B${p},0)"
                f"*MAX(0,MIN(Inputs!$F${p},{c['year']})-MAX(Inputs!$E${p},{c['year']}-1))"
            )
        since = "" if y == 1 else f"-{prev['taxed']}"
        cells = {
            "year": y,
            "df": f"=(1+{r_})^-({c['year']}-{_ref('offset')})",
            "dev": f"=SUM({grid[0]}{row}:{grid[-1]}{row})" if phases else "=0",
            "setup": f"=IF({c['year']}={_ref('setup_year')},{_ref('setup')},0)",
            "k": f"={c['year']}-{_ref('first_sales_offset')}",
            "uptake": (
                f"=IF({c['k']}<1,0,IF({t_}<=0,1,IF({c['k']}>={t_},1,IF({_ref('s_curve')}=1,"
                f"({logistic(c['k'])}-{logistic('0')})/({logistic(t_)}-{logistic('0')}),{c['k']}/{t_}))))"
            ),
            "patients0": f"={c['uptake']}*{_ref('eligible')}*{_ref('share')}",
            "price0": f"={_ref('price')}*(1-{_ref('erosion')})^MAX({c['k']}-1,0)",
            "after": f"=IF({c['k']}>{_ref('exclusivity')},CEILING({c['k']}-{_ref('exclusivity')},1),0)",
            "kept": (
                f"=IF({c['after']}>=1,(1-{_ref('drop')})*INDEX({kept_range},MIN({c['after']}-1,{step_count})+1),1)"
            ),
            "patients": f"={c['patients0']}*IF({_ref('volume')}=1,{c['kept']},1)",
            "price": f"={c['price0']}*IF({_ref('volume')}=1,1,{c['kept']})",
            "revenue": f"={c['patients']}*{c['price']}",
            "cogs": f"={c['patients']}*{_ref('cogs')}",
            "opex": (
                f"=IF({c['k']}>=1,{_ref('commercial')}+{_ref('pharmacovigilance')},0)"
                f"+IF({c['k']}=1,{_ref('launch_cost')},0)"
            ),
            "profit": f"={c['revenue']}-{c['cogs']}-{c['opex']}",
            "cumulative": f"={c['profit']}" if y == 1 else f"={prev['cumulative']}+{c['profit']}",
            "taxed": f"=MAX({c['cumulative']},0)" if y == 1 else f"=MAX({prev['taxed']},{c['cumulative']},0)",
            "taxable": f"=IF({_ref('carry_forward')}=1,{c['taxed']}{since},MAX({c['profit']},0))",
            "tax": f"={c['taxable']}*{_ref('tax_rate')}",
            "commercial": f"={c['profit']}-{c['tax']}",
            "net": f"={c['commercial']}-{c['setup']}-{c['dev']}",
            "rdev": "="
            + ("+".join(f"{grid[i]}{row}*Inputs!$G${FIRST_PHASE_ROW + i}" for i in range(len(phases))) or "0"),
            "rnet": (f"={c['commercial']}*{_ref('p_launch')}-{c['setup']}*{_ref('setup_weight')}-{c['rdev']}"),
            "pv": f"={c['net']}*{c['df']}",
            "rpv": f"={c['rnet']}*{c['df']}",
        }
        for key, formula in cells.items():
            sheet[c[key]] = formula
    total = horizon + 3
    sheet[f"A{total}"], sheet[f"A{total + 1}"] = "NPV", "rNPV"
    sheet[f"B{total}"] = f"=SUM({COL['pv']}2:{COL['pv']}{horizon + 1})"
    sheet[f"B{total + 1}"] = f"=SUM({COL['rpv']}2:{COL['rpv']}{horizon + 1})"
    sheet[f"A{total}"].font = sheet[f"A{total + 1}"].font = Font(bold=True)
