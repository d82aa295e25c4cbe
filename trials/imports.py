"""Import JOIN4ATMP cover sheets: one workbook -> one product with its trials.

``cover_sheet_import`` reads a workbook, builds the product it describes,
compares it with what the database holds and (unless it is a dry run) writes it,
all inside one transaction per file: a file with any error writes nothing.
Every message names the file, row label and column.

Who imports decides the outcome: a curator's import (and the management
command) publishes at once; an expert's upload is submitted for review and
owned by the expert. ``update=True`` replaces an existing product's content,
but refuses when someone edited the record on the platform after its last
import, unless ``force=True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from platform_site.permissions import is_curator, is_expert

from . import identifiers, vocabulary
from .models import CurationStatus, Product, SheetCell, Trial, TrialIdentifier
from .sheets import catalogue as cat
from .sheets.catalogue import CATALOGUE, SECTION_TITLES
from .sheets.reader import ERROR, INFO, WARNING, ParsedSheet, SheetMessage, read_workbook

IMPORT_REASON = "Imported from "

# Choice fields filled from a "<field>_text" row; value: (model field, normaliser).
_CHOICES = {
    cat.ATMP_TYPE: ("atmp_type", vocabulary.normalise_atmp_type),
    cat.CELL_SOURCE: ("cell_source", vocabulary.normalise_cell_source),
    cat.CLASSIFICATION: ("patient_classification", vocabulary.normalise_patient_classification),
    cat.GENE_TRANSFER: ("gene_transfer_mode", vocabulary.normalise_gene_transfer),
    cat.SHEET_REVIEW: ("sheet_review_status", vocabulary.normalise_sheet_review_status),
    cat.PHASE: ("phase", vocabulary.normalise_phase),
    cat.SPONSOR_TYPE: ("sponsor_type", vocabulary.normalise_sponsor_type),
    cat.CENTRE: ("centre_type", vocabulary.normalise_centre_type),
}
# Fields whose change on the platform counts as an edit an --update must not overwrite.
PRODUCT_CONTENT_FIELDS = [r.field for r in CATALOGUE.rows if not r.is_trial_row]


# --- The report ----------------------------------------------------------------------
@dataclass
class Change:
    label: str
    old: str
    new: str
    column: int | None = None

    @property
    def where(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.label} [{get_column_letter(self.column)}]" if self.column else self.label


@dataclass
class FileReport:
    file_name: str
    sheet_title: str = ""
    product_name: str = ""
    product_slug: str = ""
    action: str = ""  # create | update | unchanged | refused
    trials: int = 0
    changes: list[Change] = field(default_factory=list)
    messages: list[SheetMessage] = field(default_factory=list)

    @property
    def errors(self) -> list[SheetMessage]:
        return [m for m in self.messages if m.level == ERROR]

    @property
    def warnings(self) -> list[SheetMessage]:
        return [m for m in self.messages if m.level == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, level: str, text: str, **where) -> None:
        self.messages.append(SheetMessage(level, text, **where))

    def lines(self, dry_run: bool = False) -> list[str]:
        verbs = {
            "create": ("will be created", "created"),
            "update": ("will be updated", "updated"),
            "unchanged": ("unchanged", "unchanged"),
            "refused": ("NOT imported", "NOT imported"),
        }
        verb = verbs.get(self.action, (self.action, self.action))[0 if dry_run else 1]
        head = self.file_name + (f" [{self.sheet_title}]" if self.sheet_title else "")
        lines = [f"{head}: {self.product_name or '(no product)'} {verb}; {self.trials} trial(s)"]
        lines += [f"  {m.level.upper()}: {m}" for m in self.messages]
        if self.action == "update":
            lines += [f"  CHANGE {c.where}: “{c.old[:60]}” -> “{c.new[:60]}”" for c in self.changes]
        return lines


@dataclass
class ImportReport:
    dry_run: bool = False
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def count(self, action: str) -> int:
        return sum(1 for f in self.files if f.action == action)

    def summary(self) -> str:
        prefix = "Dry run, nothing written: " if self.dry_run else ""
        return (
            f"{prefix}{len(self.files)} file(s): {self.count('create')} new, {self.count('update')} updated, "
            f"{self.count('unchanged')} unchanged, {self.count('refused')} refused."
        )

    def as_text(self) -> str:
        lines = [line for f in self.files for line in f.lines(self.dry_run)]
        return "\n".join([*lines, self.summary()])


class _Rollback(Exception):
    """Raised inside the transaction of a dry run or a failed file so nothing stays written."""


# --- The plan: what one sheet says, in model terms -------------------------------------
@dataclass
class TrialPlan:
    column: int
    texts: dict[str, str]
    values: dict[str, object]
    idents: list[identifiers.RegistryId]
    countries: str


@dataclass
class ProductPlan:
    texts: dict[str, str]
    values: dict[str, object]
    trials: list[TrialPlan]
    # (kind, section, label as written, column, value)
    cells: list[tuple[str, str, str, int, str]]


def _check_length(model, field_name: str, value: str, report: FileReport, **where) -> None:
    max_length = getattr(model._meta.get_field(field_name), "max_length", None)
    if max_length and len(value) > max_length:
        report.add(ERROR, f"Text too long: {len(value)} characters, at most {max_length}.", **where)


def _normalise(kind: str, text: str, report: FileReport, label: str, **where) -> dict[str, object]:
    """Model values derived from one cell's text; a warning when the text is not recognised."""
    if kind in _CHOICES:
        field_name, normalise = _CHOICES[kind]
        value = normalise(text)
        if text and not value:
            report.add(WARNING, f"“{text}” is not a known value; kept as text, not filterable.", label=label, **where)
        return {field_name: value}
    if kind == cat.STATUS:
        status, date = vocabulary.parse_status(text)
        if text and not status:
            report.add(WARNING, f"“{text}” is not a known trial status; kept as text.", label=label, **where)
        return {"status": status, "status_as_of": date}
    if kind == cat.YES_NO:
        answer = vocabulary.parse_yes_no(text)
        if text and answer is None:
            report.add(WARNING, f"“{text}” is neither yes nor no; kept as text.", label=label, **where)
        target = "mechanism_known" if label_field(label) == "mechanism_known_text" else "first_in_human"
        return {target: answer}
    if kind == cat.LOCATIONS and text:
        _refs, unknown = vocabulary.parse_locations(text)
        for part in unknown:
            report.add(WARNING, f"“{part}” is not a country or region we know; kept as text.", label=label, **where)
    return {}


def label_field(label: str) -> str:
    row = next((r for r in CATALOGUE.rows if r.label == label), None)
    return row.field if row else ""


def _plan(parsed: ParsedSheet, report: FileReport) -> ProductPlan:
    texts: dict[str, str] = {}
    values: dict[str, object] = {}
    cells: list[tuple[str, str, str, int, str]] = []
    trial_columns = parsed.trial_columns()
    trial_texts: dict[int, dict[str, str]] = {c: {} for c in trial_columns}
    for row in parsed.rows:
        where = {"row": row.number}
        template = row.template_row
        if template is None:
            cells += [(SheetCell.Kind.UNKNOWN, row.section, row.label, c, v) for c, v in row.cells.items()]
            continue
        if template.is_trial_row:
            for column, text in row.cells.items():
                if column in trial_texts:
                    trial_texts[column][template.field] = text
                else:
                    cells.append((SheetCell.Kind.NOTE, row.section, row.label, column, text))
            continue
        text = row.cells.get(2, "")
        texts[template.field] = text
        _check_length(Product, template.field, text, report, label=row.label, column=2, **where)
        values.update(_normalise(template.kind, text, report, template.label, column=2, **where))
        cells += [(SheetCell.Kind.NOTE, row.section, row.label, c, v) for c, v in row.cells.items() if c > 2]
    if not texts.get("name"):
        report.add(
            ERROR,
            "The sheet has no product identifier: fill “Title of ATMP / ATMP identifier / Investigational "
            "medicinal product name” in column B.",
            label=cat.ROWS[0].label,
            column=2,
        )
    trials = [_plan_trial(parsed, column, trial_texts[column], report) for column in trial_columns]
    return ProductPlan(texts, values, trials, cells)


def _plan_trial(parsed: ParsedSheet, column: int, texts: dict[str, str], report: FileReport) -> TrialPlan:
    values: dict[str, object] = {}
    idents: list[identifiers.RegistryId] = []
    for field_name, text in texts.items():
        row = parsed.row_for(cat.REGULATORY, field_name)
        where = {"row": row.number, "label": row.label, "column": column}
        _check_length(Trial, field_name, text, report, **where)
        template = row.template_row
        if template.kind == cat.REGISTRY_IDS:
            idents, errors = identifiers.find_all(text)
            for error in errors:
                report.add(ERROR, f"Invalid registry ID: {error}", **where)
            continue
        values.update(_normalise(template.kind, text, report, template.label, **{"row": row.number, "column": column}))
    if not texts.get("registry_id_text"):
        report.add(WARNING, "This trial has no study ID.", column=column)
    primary = identifiers.primary(idents)
    values["primary_identifier"] = primary.value if primary else ""
    values["start_year"] = identifiers.start_year(idents)
    return TrialPlan(column, texts, values, idents, texts.get("countries_text", ""))


# --- Comparing with the database -----------------------------------------------------
def _label(section: str, field_name: str) -> str:
    return CATALOGUE.by_field(section, field_name).label


def _changes(product: Product, plan: ProductPlan) -> list[Change]:
    changes: list[Change] = []
    for row in CATALOGUE.rows:
        if row.is_trial_row:
            continue
        old, new = getattr(product, row.field) or "", plan.texts.get(row.field, "")
        if old != new:
            changes.append(Change(row.label, old, new, 2))
    existing = {t.column_index + 2: t for t in product.trials.all()}
    planned = {t.column: t for t in plan.trials}
    for column in sorted(set(existing) | set(planned)):
        trial, trial_plan = existing.get(column), planned.get(column)
        for row in CATALOGUE.section_rows(cat.REGULATORY):
            old = getattr(trial, row.field) if trial else ""
            new = trial_plan.texts.get(row.field, "") if trial_plan else ""
            if (old or "") != new:
                changes.append(Change(row.label, old or "", new, column))
    old_cells = {(c.kind, c.section, c.label, c.column): c.value for c in product.sheet_cells.all()}
    new_cells = {(k, s, label, col): v for k, s, label, col, v in plan.cells}
    for key in sorted(set(old_cells) | set(new_cells), key=str):
        if old_cells.get(key, "") != new_cells.get(key, ""):
            changes.append(Change(f"{key[2]} (note)", old_cells.get(key, ""), new_cells.get(key, ""), key[3]))
    return changes


def _planned_values(plan: ProductPlan) -> list[Change]:
    """Every non-empty value a new product will get: the preview of a create."""
    values = [Change(r.label, "", plan.texts[r.field], 2) for r in CATALOGUE.rows if plan.texts.get(r.field)]
    for trial_plan in plan.trials:
        for row in CATALOGUE.section_rows(cat.REGULATORY):
            if trial_plan.texts.get(row.field):
                values.append(Change(row.label, "", trial_plan.texts[row.field], trial_plan.column))
    values += [Change(f"{label} (note)", "", value, column) for _k, _s, label, column, value in plan.cells]
    return values


def product_edited_since_import(product: Product) -> bool:
    """Did anyone change the record's content on the platform after its last import?

    Import saves carry the reason "Imported from ..."; workflow saves (submit,
    approve) change no content field, so only real edits count. A record never
    imported was made on the platform, so replacing it counts as overwriting.
    """
    history = Product.history.filter(id=product.pk)
    last_import = (
        history.filter(history_change_reason__startswith=IMPORT_REASON)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    if last_import is None:
        return True
    later_trials = Trial.history.filter(product_id=product.pk, history_date__gt=last_import).exclude(
        history_change_reason__startswith=IMPORT_REASON
    )
    if later_trials.exists():
        return True
    for record in history.filter(history_date__gt=last_import).order_by("history_date"):
        previous = record.prev_record
        if previous is not None and record.diff_against(previous, included_fields=PRODUCT_CONTENT_FIELDS).changes:
            return True
    return False


# --- Writing ---------------------------------------------------------------------------
def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:230] or "product"
    slug, n = base, 2
    while Product.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _tag(obj, user, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason[:100]


def _write(product: Product, plan: ProductPlan, *, parsed: ParsedSheet, imported_by, publish: bool) -> Product:
    reason = f"{IMPORT_REASON}{Path(parsed.file_name).name}"
    for field_name in PRODUCT_CONTENT_FIELDS:
        setattr(product, field_name, plan.texts.get(field_name, ""))
    for field_name, value in plan.values.items():
        setattr(product, field_name, value)
    product.source_file = Path(parsed.file_name).name[:255]
    product.sheet_name = parsed.sheet_title[:64]
    if not product.slug:
        product.slug = _unique_slug(product.name)
    if publish:
        product.curation_status = CurationStatus.PUBLISHED
    elif product.pk is None:
        product.owner = imported_by
    _tag(product, imported_by, reason)
    product.save()
    locations, _ = vocabulary.locations_for(product.country_of_origin_text)
    product.origin_locations.set(locations)
    product.diseases.set(vocabulary.diseases_for(product.disease_text))
    product.patient_cohorts.set(vocabulary.cohorts_for(product.patient_cohort_text))
    product.targets.set(vocabulary.targets_for(product.target_text))
    _write_trials(product, plan, imported_by=imported_by, reason=reason)
    product.sheet_cells.all().delete()
    SheetCell.objects.bulk_create(
        SheetCell(product=product, kind=k, section=s, label=label[:500], column=c, value=v)
        for k, s, label, c, v in plan.cells
    )
    product.refresh_highest_phase()
    if not publish:
        from .services import product_submit

        product_submit(product=product, submitted_by=imported_by, reason="Submitted by sheet upload")
    return product


def _write_trials(product: Product, plan: ProductPlan, *, imported_by, reason: str) -> None:
    existing = {t.column_index: t for t in product.trials.all()}
    planned = {t.column - 2 for t in plan.trials}
    for index, trial in existing.items():
        if index not in planned:
            _tag(trial, imported_by, reason)
            trial.delete()
    trial_fields = [r.field for r in CATALOGUE.section_rows(cat.REGULATORY)]
    for trial_plan in plan.trials:
        trial = existing.get(trial_plan.column - 2) or Trial(product=product, column_index=trial_plan.column - 2)
        for field_name in trial_fields:
            setattr(trial, field_name, trial_plan.texts.get(field_name, ""))
        defaults = {
            "phase": "",
            "status": "",
            "status_as_of": None,
            "sponsor_type": "",
            "centre_type": "",
            "mechanism_known": None,
            "first_in_human": None,
        }
        for field_name, value in {**defaults, **trial_plan.values}.items():
            setattr(trial, field_name, value)
        _tag(trial, imported_by, reason)
        trial.save()
        countries, _ = vocabulary.locations_for(trial_plan.countries)
        trial.countries.set(countries)
        trial.identifiers.all().delete()
        TrialIdentifier.objects.bulk_create(
            TrialIdentifier(trial=trial, registry=i.registry, value=i.value) for i in trial_plan.idents
        )


# --- The service -----------------------------------------------------------------------
def _may_import(user) -> bool:
    return user is None or is_expert(user)


def cover_sheet_import(
    *, file, imported_by, update: bool = False, dry_run: bool = False, force: bool = False, name: str = ""
) -> ImportReport:
    """Import one workbook (path, bytes or file object). ``imported_by=None`` is the system (command)."""
    report = ImportReport(dry_run=dry_run)
    report.files.append(
        _import_one(file, imported_by=imported_by, update=update, dry_run=dry_run, force=force, name=name)
    )
    return report


def cover_sheets_import(*, files, imported_by, update=False, dry_run=False, force=False) -> ImportReport:
    """Several workbooks, each in its own transaction: one bad file does not stop the others."""
    report = ImportReport(dry_run=dry_run)
    for item in files:
        file, name = item if isinstance(item, tuple) else (item, "")
        report.files.append(
            _import_one(file, imported_by=imported_by, update=update, dry_run=dry_run, force=force, name=name)
        )
    return report


def _open(file):
    if isinstance(file, (str, Path)):
        return open(file, "rb"), str(file)
    return file, getattr(file, "name", "")


def _import_one(file, *, imported_by, update, dry_run, force, name) -> FileReport:
    handle, default_name = _open(file)
    try:
        parsed = read_workbook(handle, name=name or default_name)
    finally:
        if isinstance(file, (str, Path)):
            handle.close()
    report = FileReport(file_name=Path(parsed.file_name).name, sheet_title=parsed.sheet_title)
    report.messages += parsed.messages
    if not _may_import(imported_by):
        report.add(ERROR, "Only approved experts and curators may import cover sheets.")
    if report.errors:
        report.action = "refused"
        return report
    plan = _plan(parsed, report)
    report.product_name = plan.texts.get("name", "")
    report.trials = len(plan.trials)
    if report.errors:
        report.action = "refused"
        return report
    try:
        with transaction.atomic():
            _apply(plan, parsed, report, imported_by=imported_by, update=update, force=force)
            if dry_run or report.errors:
                raise _Rollback
    except _Rollback:
        pass
    except IntegrityError as exc:
        report.add(ERROR, f"The database refused the record ({exc}); nothing was written.")
    if report.errors:
        report.action = "refused"
    return report


def _apply(plan: ProductPlan, parsed: ParsedSheet, report: FileReport, *, imported_by, update: bool, force: bool):
    publish = imported_by is None or is_curator(imported_by)
    existing = Product.objects.select_for_update().filter(name__iexact=report.product_name).first()
    if existing is None:
        report.action = "create"
        report.changes = _planned_values(plan)
        product = _write(Product(), plan, parsed=parsed, imported_by=imported_by, publish=publish)
        report.product_slug = product.slug
        return
    report.product_slug = existing.slug
    name_where = {"label": cat.ROWS[0].label, "column": 2}
    if not update:
        report.add(
            ERROR,
            f"A product named “{existing.name}” already exists. Import with --update (or tick “update”) to "
            "replace its content with this sheet.",
            **name_where,
        )
        return
    if not publish and not (
        existing.owner_id == imported_by.pk and existing.curation_status != CurationStatus.PUBLISHED
    ):
        report.add(
            ERROR,
            f"“{existing.name}” exists and is not your unpublished submission: propose changes through its edit "
            "page, or ask a curator to import the sheet.",
            **name_where,
        )
        return
    report.changes = _changes(existing, plan)
    if not report.changes:
        report.action = "unchanged"
        return
    if not force and product_edited_since_import(existing):
        report.add(
            ERROR,
            f"“{existing.name}” was edited on the platform after its last import; importing would overwrite "
            "that edit. Compare the record's history first, then import with --force to overwrite.",
            **name_where,
        )
        return
    report.action = "update"
    _write(existing, plan, parsed=parsed, imported_by=imported_by, publish=publish)


def describe_section(section: str) -> str:
    return SECTION_TITLES.get(section, section)


__all__ = [
    "ImportReport",
    "FileReport",
    "Change",
    "cover_sheet_import",
    "cover_sheets_import",
    "product_edited_since_import",
    "INFO",
]
