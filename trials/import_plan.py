"""What one cover sheet says, in model terms, with the tolerance rules for real sheets.

Nothing here writes: ``plan_sheet`` turns a ParsedSheet into the texts the
services receive, the cells kept beside the template, and the report's messages.
A sheet from the field is never refused for a stray value; every rule is listed
in docs/trials-sheets.md ("Tolerance rules"):

* a cell outside the template (beside a section header, in an unlabelled row, a
  repeated label, an unknown label, beyond the expected columns) is kept as a
  SheetCell at its place and reported;
* hyperlinks are kept as LINK cells at their place;
* a variant spelling maps to the controlled value with a warning naming the
  mapping; an unknown value is kept as text and reported;
* the old template's cover-section "Trial Status" sets the status of trials whose
  own column gives none;
* an indication "other" with the real one written beside it: the written one is the disease;
* a registry ID found only in a link or a note is offered as a secondary identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import identifiers, vocabulary
from .models import Disease, Product, SheetCell, Trial
from .sheets import catalogue as cat
from .sheets.catalogue import label_key
from .sheets.reader import ERROR, HEADER, INFO, LABELLED, UNLABELLED, WARNING, ParsedSheet

# The controlled vocabularies a row kind maps to: (model, value field, normaliser).
CHOICE_KINDS = {
    cat.ATMP_TYPE: (Product, "atmp_type", vocabulary.normalise_atmp_type),
    cat.CELL_SOURCE: (Product, "cell_source", vocabulary.normalise_cell_source),
    cat.CLASSIFICATION: (Product, "patient_classification", vocabulary.normalise_patient_classification),
    cat.GENE_TRANSFER: (Product, "gene_transfer_mode", vocabulary.normalise_gene_transfer),
    cat.SHEET_REVIEW: (Product, "sheet_review_status", vocabulary.normalise_sheet_review_status),
    cat.PHASE: (Trial, "phase", vocabulary.normalise_phase),
    cat.SPONSOR_TYPE: (Trial, "sponsor_type", vocabulary.normalise_sponsor_type),
    cat.CENTRE: (Trial, "centre_type", vocabulary.normalise_centre_type),
}
OTHER_WORDS = {"other", "others", "other indication", "sonstige"}


@dataclass
class TrialPlan:
    column: int
    texts: dict[str, str]
    # Values a tolerance rule sets beside the text (the old template's cover status).
    overrides: dict[str, object] = field(default_factory=dict)


@dataclass
class ProductPlan:
    texts: dict[str, str]
    trials: list[TrialPlan]
    # (kind, section, label as written, offset, column, value)
    cells: list[tuple[str, str, str, int, int, str]]
    overrides: dict[str, object] = field(default_factory=dict)


def _check_length(model, field_name: str, value: str, report, **where) -> None:
    max_length = getattr(model._meta.get_field(field_name), "max_length", None)
    if max_length and len(value) > max_length:
        report.add(ERROR, f"Text too long: {len(value)} characters, at most {max_length}.", **where)


def _singular(key: str) -> str:
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in key.split())


def _is_canonical(text: str, model, field_name: str, value: str) -> bool:
    """The text says the value plainly: its label or code, a plural of it, or the label's start."""
    label = dict(model._meta.get_field(field_name).flatchoices).get(value, "")
    key, names = _singular(label_key(text)), {_singular(label_key(label)), _singular(label_key(value))}
    return key in names or any(name.startswith(key) and len(key.split()) >= 2 for name in names)


def check_vocabulary(kind: str, text: str, report, label: str, **where) -> None:
    """Warn about what a cell's text maps to: a variant names its mapping, an unknown value is kept as text."""
    if not text:
        return
    if kind in CHOICE_KINDS:
        model, field_name, normalise = CHOICE_KINDS[kind]
        value = normalise(text)
        if not value:
            report.add(WARNING, f"“{text}” is not a known value; kept as text, not filterable.", label=label, **where)
        elif not _is_canonical(text, model, field_name, value):
            shown = dict(model._meta.get_field(field_name).flatchoices)[value]
            report.add(WARNING, f"“{text}” read as “{shown}”.", label=label, **where)
    elif kind == cat.STATUS:
        status, _date = vocabulary.parse_status(text)
        bare = re.sub(r"\(.*?\)|\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{2}-\d{2}", "", text).strip()
        if not status:
            report.add(WARNING, f"“{text}” is not a known trial status; kept as text.", label=label, **where)
        elif not _is_canonical(bare, Trial, "status", status):
            shown = Trial(status=status).get_status_display()
            report.add(WARNING, f"“{text}” read as “{shown}”.", label=label, **where)
    elif kind == cat.YES_NO and vocabulary.parse_yes_no(text) is None:
        report.add(WARNING, f"“{text}” is neither yes nor no; kept as text.", label=label, **where)
    elif kind == cat.LOCATIONS:
        _check_locations(text, report, label, **where)
    elif kind == cat.COHORTS:
        _check_cohorts(text, report, label, **where)
    elif kind == cat.DISEASES:
        new = [n for n in vocabulary.split_values(text) if not Disease.objects.filter(name__iexact=n).exists()]
        if new and label_key(text) not in OTHER_WORDS:
            report.add(INFO, f"New to the disease list: {', '.join(new)}.", label=label, **where)


def _check_locations(text: str, report, label: str, **where) -> None:
    refs, unknown = vocabulary.parse_locations(text)
    for part in unknown:
        report.add(WARNING, f"“{part}” is not a country or region we know; kept as text.", label=label, **where)
    known = [p for p in vocabulary.split_values(text) if p not in unknown]
    for part, ref in zip(known, refs, strict=False):
        if label_key(part) not in {label_key(ref.name), label_key(ref.code)}:
            report.add(WARNING, f"“{part}” read as “{ref.name}”.", label=label, **where)


def _check_cohorts(text: str, report, label: str, **where) -> None:
    for part in vocabulary.split_values(text):
        name = vocabulary.cohort_name(part)
        if name is None:
            message = f"“{part}” is not a patient cohort we know; kept as text, not filterable."
            report.add(WARNING, message, label=label, **where)
        elif _singular(label_key(part)) != label_key(name):
            report.add(WARNING, f"“{part}” read as “{name}”.", label=label, **where)


def _cells_of(row) -> list[tuple[str, str, str, int, int, str]]:
    """The cells of a row kept beside the template, with its hyperlinks, at their place."""
    if row.kind == HEADER:
        kind, label = SheetCell.Kind.HEADER, row.label
    elif row.kind == UNLABELLED:
        kind, label = SheetCell.Kind.UNLABELLED, row.anchor
    else:
        kind, label = SheetCell.Kind.UNKNOWN, row.label
    return [(kind, row.section, label, row.offset, c, v) for c, v in row.cells.items()]


def _links_of(row) -> list[tuple[str, str, str, int, int, str]]:
    if row.kind == UNLABELLED:
        kind, label = SheetCell.Kind.LINK_AFTER, row.anchor
    else:
        kind, label = SheetCell.Kind.LINK, row.label
    return [(kind, row.section, label, row.offset, c, t) for c, t in row.links.items()]


def plan_sheet(parsed: ParsedSheet, report) -> ProductPlan:
    texts: dict[str, str] = {}
    cells: list[tuple[str, str, str, int, int, str]] = []
    trial_columns = parsed.trial_columns()
    trial_texts: dict[int, dict[str, str]] = {c: {} for c in trial_columns}
    for row in parsed.rows:
        cells += _links_of(row)
        template = row.template_row
        if template is None or row.offset or row.kind != LABELLED:
            cells += _cells_of(row)
            continue
        if template.is_trial_row:
            for column, text in row.cells.items():
                if column in trial_texts:
                    trial_texts[column][template.field] = text
                else:
                    cells.append((SheetCell.Kind.NOTE, row.section, row.label, 0, column, text))
            continue
        text = row.cells.get(2, "")
        texts[template.field] = text
        where = {"row": row.number, "column": 2}
        _check_length(Product, template.field, text, report, label=row.label, **where)
        check_vocabulary(template.kind, text, report, template.label, **where)
        cells += [(SheetCell.Kind.NOTE, row.section, row.label, 0, c, v) for c, v in row.cells.items() if c > 2]
    if not texts.get("name"):
        report.add(
            ERROR,
            "The sheet has no product identifier: fill “Title of ATMP / ATMP identifier / Investigational "
            "medicinal product name” in column B.",
            label=cat.ROWS[0].label,
            column=2,
        )
    trials = [_plan_trial(parsed, column, trial_texts[column], report) for column in trial_columns]
    plan = ProductPlan(texts, trials, cells)
    _cover_status(plan, parsed, report)
    _other_indication(plan, parsed, report)
    _identifiers_in_notes(plan, report)
    return plan


def _plan_trial(parsed: ParsedSheet, column: int, texts: dict[str, str], report) -> TrialPlan:
    for field_name, text in texts.items():
        row = parsed.row_for(cat.REGULATORY, field_name)
        where = {"row": row.number, "column": column}
        _check_length(Trial, field_name, text, report, label=row.label, **where)
        template = row.template_row
        if template.kind == cat.REGISTRY_IDS:
            for error in identifiers.find_all(text)[1]:
                report.add(ERROR, f"Invalid registry ID: {error}", label=row.label, **where)
        else:
            check_vocabulary(template.kind, text, report, template.label, **where)
    if not texts.get("registry_id_text"):
        report.add(WARNING, "This trial has no study ID.", column=column)
    return TrialPlan(column, texts)


def _cover_status(plan: ProductPlan, parsed: ParsedSheet, report) -> None:
    """Old template: a "Trial Status" in the cover section is the status of trials without their own."""
    text = plan.texts.get("cover_trial_status_text", "")
    status, as_of = vocabulary.parse_status(text)
    if not status:
        if text:
            report.add(WARNING, f"The cover section's trial status “{text}” is not a known status; kept as text.")
        return
    applied = [t for t in plan.trials if not t.texts.get("status_text")]
    for trial_plan in applied:
        trial_plan.overrides.update(status=status, status_as_of=as_of)
    if applied:
        columns = ", ".join(_column_name(t.column) for t in applied)
        report.add(INFO, f"The cover section's trial status “{text}” applies to the trial(s) in column {columns}.")


def _column_name(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _other_indication(plan: ProductPlan, parsed: ParsedSheet, report) -> None:
    """Indication "other" with the real one beside it (column C): the written one is the disease."""
    if label_key(plan.texts.get("disease_text", "")) not in OTHER_WORDS:
        return
    row = parsed.row_for(cat.COVER, "disease_text")
    written = next((v for c, v in sorted(row.cells.items()) if c > 2), "") if row else ""
    if written:
        plan.overrides["disease_names"] = vocabulary.split_values(written)
        report.add(INFO, f"Indication “other”: the disease is the one written beside it, “{written}”.", row=row.number)


def _identifiers_in_notes(plan: ProductPlan, report) -> None:
    """A registry ID only inside a link or a note is offered, not applied: it may name another trial."""
    known = {i.value for t in plan.trials for i in identifiers.find_all(t.texts.get("registry_id_text", ""))[0]}
    offered: set[str] = set()
    for _kind, _section, label, _offset, column, value in plan.cells:
        for candidate in re.findall(r"(?:NCT|ISRCTN|DRKS)\d{8}|\d{4}-\d{6}-\d{2}(?:-\d{2})?", value, re.I):
            if identifiers.is_valid(candidate):
                value_id = identifiers.parse(candidate).value
                if value_id not in known and value_id not in offered:
                    offered.add(value_id)
                    report.add(
                        INFO,
                        f"{value_id} appears only in a link or note (“{label[:40]}”, column {_column_name(column)}): "
                        "add it to the study ID row if it is a secondary identifier of that trial.",
                    )


__all__ = ["ProductPlan", "TrialPlan", "plan_sheet", "check_vocabulary"]
