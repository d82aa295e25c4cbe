"""Pending revisions: an edit of a published product waits beside it, and the published version stays public.

An expert who changes a published record (web form, API or sheet re-upload) gets
a ``ProductRevision`` holding only what differs from the record as it is now. A
curator sees a field-by-field diff and approves (the change is applied through
trials.services in one transaction) or rejects (it is discarded, the record is as
it was). One revision per product waits at a time: a second is refused with a
message naming the first, so no edit is lost silently. When the record changed
in between on a field the revision also changes, approving is refused and says
which fields, instead of overwriting that change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse

from platform_site.curation import CurationFlow, Notification, ReviewError

from . import services
from .models import Product, ProductRevision, Trial
from .services import RevisionRefused
from .sheets.catalogue import CATALOGUE


def _json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _python(model, name: str, value):
    field = model._meta.get_field(name)
    return field.to_python(value) if value is not None else (None if field.null else "")


def _differences(model, obj, data: Mapping) -> dict[str, dict]:
    """{field: {"old", "new"}} for each field of ``data`` whose value differs from ``obj`` (None: a new row)."""
    changes = {}
    for name, value in data.items():
        new = services.clean_value(model, name, value)
        old = getattr(obj, name) if obj is not None else model._meta.get_field(name).get_default()
        if old != new and not (old in (None, "") and new in (None, "")):
            changes[name] = {"old": _json(old), "new": _json(new)}
    return changes


def _cells(product: Product) -> list[list]:
    rows = product.sheet_cells.order_by("section", "label", "offset", "column")
    return [[c.kind, c.section, c.label, c.offset, c.column, c.value] for c in rows]


def _changes(product: Product, data: Mapping, trials: Iterable[services.TrialChange], cells) -> dict:
    trial_changes = []
    for change in trials:
        if change.delete:
            if change.trial is not None and change.trial.pk:
                trial_changes.append({"id": change.trial.pk, "column_index": change.trial.column_index, "delete": True})
            continue
        fields = _differences(Trial, change.trial, change.data)
        if fields:
            existing = change.trial is not None and change.trial.pk
            trial_changes.append(
                {
                    "id": change.trial.pk if existing else None,
                    "column_index": change.trial.column_index if existing else change.data.get("column_index"),
                    "delete": False,
                    "fields": fields,
                }
            )
    new_cells = sorted([list(c) for c in cells], key=str) if cells is not None else None
    if new_cells is not None and new_cells == sorted(_cells(product), key=str):
        new_cells = None
    lookups = {key: list(data[key]) for key in services.PRODUCT_LOOKUP_OVERRIDES if key in data}
    fields = {key: value for key, value in data.items() if key not in lookups}
    changes = {"product": _differences(Product, product, fields), "trials": trial_changes, "cells": new_cells}
    if lookups and (changes["product"] or trial_changes or new_cells is not None):
        changes["lookups"] = lookups
    return changes


def _is_empty(changes: dict) -> bool:
    return not changes["product"] and not changes["trials"] and changes["cells"] is None


def pending_message(pending: ProductRevision) -> str:
    who = pending.author.get_full_name() or "another contributor" if pending.author else "another contributor"
    return (
        f"“{pending.product}” already has a change waiting for review (proposed by {who} on "
        f"{pending.created_at:%d.%m.%Y}). Wait for the curator's decision, then make your change on the "
        "record as it is then, so that neither change overwrites the other."
    )


@transaction.atomic
def revision_propose(
    *,
    product: Product,
    data: Mapping,
    trials: Iterable[services.TrialChange],
    user,
    reason: str,
    source: str,
    cells=None,
) -> ProductRevision | None:
    """Store a change to a published product beside it and submit it for review; None when nothing differs.

    Raises RevisionRefused when another change of the product is still waiting.
    """
    product = Product.objects.select_for_update().get(pk=product.pk)
    pending = product.revisions.pending().select_related("author").first()
    if pending is not None:
        raise RevisionRefused(pending_message(pending))
    changes = _changes(product, data, list(trials), cells)
    if _is_empty(changes):
        return None
    try:
        with transaction.atomic():
            revision = ProductRevision.objects.create(
                product=product, author=user, reason=(reason or "")[:100], source=source[:20], changes=changes
            )
            REVISION_CURATION.submit(obj=revision, submitted_by=user, reason=reason, source=source)
    except IntegrityError as exc:  # another request stored one between our check and our insert
        raise RevisionRefused(pending_message(product.revisions.pending().get())) from exc
    return revision


def _conflicts(product: Product, changes: dict) -> list[str]:
    """Fields the record changed since the revision was proposed, to a value the revision did not expect."""
    found = []
    for name, change in changes["product"].items():
        live = _json(getattr(product, name))
        if live not in (change["old"], change["new"]):
            found.append(field_label(Product, name))
    trials = {t.pk: t for t in product.trials.all()}
    for change in changes["trials"]:
        if change["id"] is None:
            continue
        trial = trials.get(change["id"])
        if trial is None:
            found.append(f"trial {change['column_index'] + 1} (removed since)")
            continue
        for name, values in change.get("fields", {}).items():
            if _json(getattr(trial, name)) not in (values["old"], values["new"]):
                found.append(f"{field_label(Trial, name)} of trial {trial.column_index + 1}")
    return found


def _apply(revision: ProductRevision) -> None:
    product = Product.objects.select_for_update().get(pk=revision.product_id)
    changes = revision.changes
    conflicts = _conflicts(product, changes)
    if conflicts:
        raise ReviewError(
            f"The record changed since this revision was proposed ({', '.join(conflicts)}). Reject it and ask "
            "for the change again on the record as it is now, so that neither change is lost."
        )
    who = {"user": revision.author, "source": revision.source}
    reason = f"{revision.reason or 'Revision'} (reviewed)"[:100]
    data = {name: _python(Product, name, change["new"]) for name, change in changes["product"].items()}
    data.update(changes.get("lookups", {}))
    if data:
        services.product_save(product=product, data=data, reason=reason, **who)
    for change in changes["trials"]:
        trial = Trial.objects.filter(pk=change["id"], product=product).first() if change["id"] else None
        if change["delete"]:
            if trial is not None:
                services.trial_delete(trial=trial, reason=reason, **who)
            continue
        fields = {name: _python(Trial, name, values["new"]) for name, values in change["fields"].items()}
        services.trial_save(trial=trial, product=product, data=fields, reason=reason, **who)
    if changes.get("cells") is not None:
        services.sheet_cells_replace(product=product, cells=[tuple(c) for c in changes["cells"]])


class RevisionCuration(CurationFlow):
    contributor_field = "author"
    label = "change"

    def on_publish(self, obj: ProductRevision, reviewer) -> None:
        _apply(obj)

    def notification(self, obj: ProductRevision, *, approved: bool) -> Notification:
        verdict = "applied" if approved else "not applied"
        return Notification(
            subject=f"Your change to “{obj.product.name}” was {verdict}",
            template="trials/email/revision_reviewed.txt",
            context={
                "revision": obj,
                "approved": approved,
                "comment": obj.review_comment,
                "path": reverse("trials:product_detail", args=[obj.product.slug]),
            },
        )


REVISION_CURATION = RevisionCuration()


def revision_approve(*, revision: ProductRevision, reviewer, comment: str = "") -> ProductRevision:
    """Apply a pending revision to the published record in one transaction (four eyes); raises ReviewError."""
    return REVISION_CURATION.approve(obj=revision, reviewer=reviewer, comment=comment)


def revision_reject(*, revision: ProductRevision, reviewer, comment: str) -> ProductRevision:
    """Discard a pending revision; the published record stays as it is; ``comment`` is required."""
    return REVISION_CURATION.reject(obj=revision, reviewer=reviewer, comment=comment)


# --- The diff a curator reads ----------------------------------------------------------------
@dataclass(frozen=True)
class DiffRow:
    where: str
    label: str
    old: str
    new: str


def field_label(model, name: str) -> str:
    row = next((r for r in CATALOGUE.rows if r.field == name and r.is_trial_row == (model is Trial)), None)
    if row is not None:
        return row.label
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _shown(model, name: str, value) -> str:
    if value in (None, ""):
        return "—"
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def revision_diff(revision: ProductRevision) -> list[DiffRow]:
    """Field by field: where, label, the published value and the proposed one."""
    changes = revision.changes
    rows = [
        DiffRow("Product", field_label(Product, n), _shown(Product, n, c["old"]), _shown(Product, n, c["new"]))
        for n, c in changes["product"].items()
    ]
    for change in changes["trials"]:
        index = change.get("column_index")
        where = f"Trial {index + 1}" if index is not None else "New trial"
        if change["delete"]:
            rows.append(DiffRow(where, "The whole trial", "present", "removed"))
            continue
        rows += [
            DiffRow(where, field_label(Trial, n), _shown(Trial, n, c["old"]), _shown(Trial, n, c["new"]))
            for n, c in change["fields"].items()
        ]
    if changes.get("cells") is not None:
        notes = "; ".join(f"{c[2]}: {c[5]}" for c in changes["cells"]) or "none"
        rows.append(DiffRow("Sheet", "Notes beside the template", "as published", notes[:500]))
    return rows


__all__ = ["RevisionRefused", "revision_propose", "revision_approve", "revision_reject", "revision_diff"]
