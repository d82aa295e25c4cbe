"""The one write path for ATMP products and their trials.

Every entry point (the contribution form, the API, the cover-sheet import, the
admin, the public-register refresh) saves through these functions, so a record
means the same whichever way it came in:

* ``product_save`` / ``trial_save`` / ``trial_delete`` write content, normalise
  the vocabularies, keep the lookup rows, identifiers and highest phase in step,
  and write one history row naming the user, the reason and the source;
* ``product_submit`` / ``product_approve`` / ``product_reject`` move a product
  through the review (platform_site.curation: four eyes, decision with reason,
  the contributor's e-mail).

``source`` names the entry point on the history row: one of ``SOURCES`` below
(the register refresh passes ``"register"``). ``user`` may be None for the system
(management commands, scheduled refreshes).
"""

from platform_site.curation import ReviewError

from .contributions import Contribution, RevisionRefused, TrialChange, product_contribute
from .records import (
    PRODUCT_LOOKUP_OVERRIDES,
    SOURCES,
    UnknownField,
    clean_value,
    product_save,
    sheet_cells_replace,
    trial_delete,
    trial_save,
)
from .review import product_approve, product_reject, product_submit

__all__ = [
    "PRODUCT_LOOKUP_OVERRIDES",
    "SOURCES",
    "Contribution",
    "ReviewError",
    "RevisionRefused",
    "TrialChange",
    "UnknownField",
    "clean_value",
    "product_approve",
    "product_contribute",
    "product_reject",
    "product_save",
    "product_submit",
    "sheet_cells_replace",
    "trial_delete",
    "trial_save",
]
