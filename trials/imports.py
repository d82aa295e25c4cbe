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

from platform_site.permissions import is_curator, is_expert

from .import_plan import ProductPlan, plan_sheet
from .models import Product, Trial
from .services import RevisionRefused, TrialChange, product_contribute
from .sheets import catalogue as cat
from .sheets.catalogue import CATALOGUE
from .sheets.reader import ERROR, INFO, WARNING, ParsedSheet, SheetMessage, read_workbook

IMPORT_REASON = "Imported from "

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
    def infos(self) -> list[SheetMessage]:
        """What a tolerance rule did, identifiers offered, a change waiting for review."""
        return [m for m in self.messages if m.level == INFO]

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
    old_cells = {(c.kind, c.section, c.label, c.offset, c.column): c.value for c in product.sheet_cells.all()}
    new_cells = {cell[:5]: cell[5] for cell in plan.cells}
    for key in sorted(set(old_cells) | set(new_cells), key=str):
        if old_cells.get(key, "") != new_cells.get(key, ""):
            changes.append(Change(f"{key[2]} ({key[0]})", old_cells.get(key, ""), new_cells.get(key, ""), key[4]))
    return changes


def _planned_values(plan: ProductPlan) -> list[Change]:
    """Every non-empty value a new product will get: the preview of a create."""
    values = [Change(r.label, "", plan.texts[r.field], 2) for r in CATALOGUE.rows if plan.texts.get(r.field)]
    for trial_plan in plan.trials:
        for row in CATALOGUE.section_rows(cat.REGULATORY):
            if trial_plan.texts.get(row.field):
                values.append(Change(row.label, "", trial_plan.texts[row.field], trial_plan.column))
    values += [Change(f"{label} ({kind})", "", value, column) for kind, _s, label, _o, column, value in plan.cells]
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
TRIAL_TEXT_FIELDS = [r.field for r in CATALOGUE.section_rows(cat.REGULATORY)]


def _trial_changes(product: Product | None, plan: ProductPlan) -> list[TrialChange]:
    """Each column of the sheet onto the trial in the same column; trials whose column is gone are removed."""
    existing = {t.column_index: t for t in Trial.objects.filter(product=product)} if product is not None else {}
    planned = {t.column - 2: t for t in plan.trials}
    changes = [TrialChange(trial, delete=True) for index, trial in existing.items() if index not in planned]
    for index, trial_plan in planned.items():
        data = {name: trial_plan.texts.get(name, "") for name in TRIAL_TEXT_FIELDS}
        changes.append(TrialChange(existing.get(index), {**data, **trial_plan.overrides, "column_index": index}))
    return changes


def _write(product: Product | None, plan: ProductPlan, *, parsed: ParsedSheet, imported_by, publish: bool):
    """The sheet through the one write path: a curator's (or the system's) import publishes."""
    data = {name: plan.texts.get(name, "") for name in PRODUCT_CONTENT_FIELDS}
    data.update(plan.overrides)
    data.update(source_file=Path(parsed.file_name).name[:255], sheet_name=parsed.sheet_title[:64])
    return product_contribute(
        product=product,
        data=data,
        trials=_trial_changes(product, plan),
        user=imported_by,
        reason=f"{IMPORT_REASON}{Path(parsed.file_name).name}",
        source="sheet",
        cells=plan.cells,
        publish=publish,
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
    plan = plan_sheet(parsed, report)
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
        product = _write(None, plan, parsed=parsed, imported_by=imported_by, publish=publish).product
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
    if not publish and existing.owner_id != imported_by.pk:
        report.add(
            ERROR,
            f"“{existing.name}” exists and is not your submission: propose changes through its edit "
            "page, or ask a curator to import the sheet.",
            **name_where,
        )
        return
    report.changes = _changes(existing, plan)
    if not report.changes:
        report.action = "unchanged"
        return
    if publish and not force and product_edited_since_import(existing):
        report.add(
            ERROR,
            f"“{existing.name}” was edited on the platform after its last import; importing would overwrite "
            "that edit. Compare the record's history first, then import with --force to overwrite.",
            **name_where,
        )
        return
    report.action = "update"
    try:
        contribution = _write(existing, plan, parsed=parsed, imported_by=imported_by, publish=publish)
    except RevisionRefused as refused:
        report.add(ERROR, str(refused), **name_where)
        return
    if contribution.revision is not None:
        report.add(
            INFO,
            f"“{existing.name}” is published: the sheet's changes wait for a curator's review beside it; "
            "the published version stays public until then.",
        )


__all__ = [
    "ImportReport",
    "FileReport",
    "Change",
    "cover_sheet_import",
    "cover_sheets_import",
    "product_edited_since_import",
    "INFO",
]
