"""A contribution: a product with its trial changes, written directly or kept as a pending revision."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction

from ..models import CurationStatus, Product, Trial
from .records import product_save, sheet_cells_replace, trial_delete, trial_save
from .review import product_submit


class RevisionRefused(ValueError):
    """A change cannot be kept as a pending revision (another one waits); the message says why."""


# --- A contribution: the product with its trials, as a form, the API or a sheet gives it ---------
@dataclass
class TrialChange:
    """One trial of a contribution: ``trial=None`` adds one; ``delete=True`` removes ``trial``."""

    trial: Trial | None
    data: Mapping = field(default_factory=dict)
    delete: bool = False


@dataclass
class Contribution:
    """What a contribution did: the product as it is now, and the revision when the change waits for review."""

    product: Product
    revision: object = None  # a ProductRevision when the product was published and the change waits

    @property
    def waits_for_review(self) -> bool:
        return self.revision is not None or self.product.curation_status == CurationStatus.SUBMITTED


def _writes_directly(product: Product | None, user, publish: bool) -> bool:
    from platform_site.permissions import is_curator

    if product is None or product.pk is None or product.curation_status != CurationStatus.PUBLISHED:
        return True
    return publish or user is None or is_curator(user)


@transaction.atomic
def product_contribute(
    *,
    product: Product | None,
    data: Mapping,
    trials: Iterable[TrialChange] = (),
    user,
    reason: str,
    source: str,
    cells: Iterable[tuple] | None = None,
    publish: bool = False,
) -> Contribution:
    """Save a product with its trial changes (and sheet notes) the way its contributor may.

    * A published product changed by an expert: nothing is written to it; the change
      is stored beside it as a pending revision (trials.revisions), raising
      RevisionRefused when another change already waits. The published version stays public.
    * ``publish=True`` (a curator's or the system's import) saves and publishes at once.
    * Otherwise the product is saved (product_save, trial_save, trial_delete) and
      submitted for review, except a published product changed by a curator or the
      system, which stays published.
    """
    trials = list(trials)
    if not _writes_directly(product, user, publish):
        from ..revisions import revision_propose

        revision = revision_propose(
            product=product, data=data, trials=trials, user=user, reason=reason, source=source, cells=cells
        )
        return Contribution(product, revision)
    was_published = product is not None and product.curation_status == CurationStatus.PUBLISHED
    if publish:
        data = {**data, "curation_status": CurationStatus.PUBLISHED}
    product = product_save(product=product, data=data, user=user, reason=reason, source=source)
    for change in trials:
        if change.delete:
            if change.trial is not None and change.trial.pk:
                trial_delete(trial=change.trial, user=user, reason=reason, source=source)
        else:
            trial_save(trial=change.trial, product=product, data=change.data, user=user, reason=reason, source=source)
    if cells is not None:
        sheet_cells_replace(product=product, cells=cells)
    if not publish and not was_published:
        product_submit(product=product, submitted_by=user, reason=reason or "Submitted for review", source=source)
    return Contribution(product)
