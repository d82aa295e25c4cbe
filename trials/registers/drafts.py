""" "Add from register": a trial read from its register record, attached to a product, sent to review.

`draft_create` reads the record (the one place besides the refresh that calls a
register, so it is off with it) and keeps it as a draft the contributor checks;
`draft_submit` hands the trial to `trials.services.product_contribute`, the path
every contribution takes: a new or unpublished product is saved and submitted
for review; an expert's addition to a published product waits beside it as a
pending revision (the product stays public); a curator's applies directly.
"""

from __future__ import annotations

from django.db import transaction

from platform_site.curation import tag_history
from platform_site.permissions import can_edit
from trials import identifiers
from trials.models import Product, RegistryKind, TrialIdentifier
from trials.services import RevisionRefused, TrialChange, product_contribute

from . import services
from .clients import RegisterClient
from .models import RegisterDraft, TrialRegisterFacts
from .parsers.common import REGISTER_OF_KIND, RegisterRecord


class DraftError(ValueError):
    """The number or the choice cannot be used; the message says why."""


def draft_create(*, user, number: str) -> RegisterDraft:
    """Read the trial's record; raises DraftError, RefreshDisabled, FetchError or RecordError."""
    try:
        ident = identifiers.parse(number)
    except identifiers.InvalidIdentifier as exc:
        raise DraftError(str(exc)) from exc
    registry = REGISTER_OF_KIND.get(ident.registry)
    if registry is None:
        raise DraftError(
            f"{ident.value} is an {RegistryKind(ident.registry).label} number: paste an NCT, EU CT or EudraCT number."
        )
    _refuse_known([ident.value])
    with RegisterClient() as client:
        record = services.fetch_record(client, registry, ident.value)
    # The record may list the trial's other numbers (its EudraCT, its NCT): one of them may be known.
    _refuse_known([i.value for i in record.identifiers])
    return RegisterDraft.objects.create(
        created_by=user,
        registry=record.registry,
        register_id=record.register_id,
        record=record.to_json(),
        record_date=record.record_date,
    )


def _refuse_known(numbers: list[str]) -> None:
    known = TrialIdentifier.objects.filter(value__in=numbers).select_related("trial__product").first()
    if known is not None:
        raise DraftError(f"{known.value} is already in the database: a trial of “{known.trial.product}”.")


def trial_data(record: RegisterRecord) -> dict:
    """The trial's column of the cover sheet, from the register record."""
    ranked = identifiers.primary  # EU CT, EudraCT, NCT first: the order the sheets write them in
    numbers = [identifiers.RegistryId(i.registry, i.value) for i in record.identifiers]
    first = ranked(numbers)
    ordered = [first] + [n for n in numbers if n != first] if first else numbers
    data = {
        "registry_id_text": " / ".join(n.value for n in ordered),
        "title": record.title,
        "sponsor": record.sponsor,
        "countries_text": ", ".join(record.countries),
    }
    if record.phase:
        data["phase"] = record.phase
    if record.status:
        data.update(status=record.status, status_as_of=record.status_date or record.record_date)
    if record.sponsor_type:
        data["sponsor_type"] = record.sponsor_type
    return data


@transaction.atomic
def draft_submit(*, draft: RegisterDraft, user, product: Product | None = None, new_product: dict | None = None):
    """Add the drafted trial to `product` (one the user may edit) or a new one, the way any contribution goes.

    Returns the `Contribution`: its `revision` is set when the addition waits beside a published product.
    """
    draft = RegisterDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.state != RegisterDraft.State.DRAFT:
        raise DraftError("This draft was already submitted.")
    if TrialIdentifier.objects.filter(value=draft.register_id).exists():
        raise DraftError(f"{draft.register_id} was added to the database meanwhile.")
    record = draft.register_record
    reason = f"{record.register_id} from the {record.register_name} record of {record.record_date or 'unknown date'}"
    if product is None:
        data = {"disease_text": "; ".join(record.conditions), **(new_product or {})}
    elif not can_edit(user, product):
        raise DraftError(f"You cannot add trials to “{product}”.")
    else:
        data = {}
    try:
        contribution = product_contribute(
            product=product,
            data=data,
            trials=[TrialChange(trial=None, data=trial_data(record))],
            user=user,
            reason=reason[:100],
            source="register",
        )
    except RevisionRefused as exc:
        raise DraftError(str(exc)) from exc
    written = TrialIdentifier.objects.filter(value=record.register_id).select_related("trial").first()
    trial = written.trial if written else None
    if trial is not None:  # written now, not waiting in a revision: keep the facts the trial model lacks
        facts = TrialRegisterFacts(
            trial=trial,
            conditions="\n".join(record.conditions),
            intervention_type=record.intervention_type,
            start_date=record.start_date,
            completion_date=record.completion_date,
            enrolment=record.enrolment,
        )
        tag_history(facts, user=user, reason=reason, source="register")
        facts.save()
    draft.state, draft.trial = RegisterDraft.State.SUBMITTED, trial
    draft.save(update_fields=["state", "trial"])
    return contribution
