"""Patching a facet index with the records a write changed (trials/facet_index.py).

The changed records are read again on their own (a small build) and merged into a
copy of the arrays: their old rows dropped, their new rows inserted at their place
by id. Everything else is whole-array NumPy work, a few milliseconds at 100,000
records, where reading every record again takes most of a second. The index being
patched is shared (this process, the cache), so nothing here changes it in place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


def merge(index, fresh, changed: np.ndarray):
    """`index` with the records in `changed` replaced by those of `fresh` (absent from it: deleted)."""
    keep = ~np.isin(index.ids, changed)
    kept_ids = index.ids[keep]
    # Both id lists are sorted: the fresh rows are inserted where they belong (np.insert,
    # one pass), no sorting of the 100,000 ids.
    at = np.searchsorted(kept_ids, fresh.ids)
    moved = Moves(keep=keep, kept_at=np.cumsum(keep) - 1, at=at, size=len(kept_ids) + len(fresh.ids))
    return replace(
        index,
        ids=np.insert(kept_ids, at, fresh.ids),
        published=np.insert(index.published[keep], at, fresh.published),
        owner_ids=np.insert(index.owner_ids[keep], at, fresh.owner_ids),
        columns={name: _merge_column(column, fresh.columns[name], moved) for name, column in index.columns.items()},
    )


@dataclass
class Moves:
    """Where each old row and each fresh row goes in the merged index."""

    keep: np.ndarray  # old rows that stay
    kept_at: np.ndarray  # old row -> its row among the kept ones (where kept)
    at: np.ndarray  # fresh row i goes before kept row at[i] (np.insert), so to row at[i] + i
    size: int

    def kept_row(self, old_rows: np.ndarray) -> np.ndarray:
        kept = self.kept_at[old_rows]
        return kept + np.searchsorted(self.at, kept, side="right")


def _merge_column(column, fresh, moved: Moves):
    values, keys = list(column.values), list(column.keys)
    code_of = {value: code for code, value in enumerate(values, start=1)}
    # The fresh build numbered its values from 1 on its own: give them the old codes,
    # and new values new codes at the end (lists order by count, then value, not by code).
    recode = np.zeros(len(fresh.values) + 1, dtype=np.intp)
    for i, value in enumerate(fresh.values):
        if value not in code_of:
            values.append(value)
            keys.append(fresh.keys[i])
            code_of[value] = len(values)
        recode[i + 1] = code_of[value]
    fresh_codes = recode[fresh.codes]
    names = None if column.names is None else {**column.names, **(fresh.names or {})}
    if column.rows is None:
        codes = np.insert(column.codes[moved.keep], moved.at, fresh_codes)
        return replace(column, values=values, keys=keys, codes=codes, names=names)
    pair_kept = moved.keep[column.rows]
    kept_rows = moved.kept_row(column.rows[pair_kept])
    fresh_rows = (moved.at + np.arange(len(moved.at)))[fresh.rows]
    # Pairs stay sorted by record (FacetColumn._pairs_of): a fresh record's pairs go in one block.
    pair_at = np.searchsorted(kept_rows, fresh_rows)
    rows = np.insert(kept_rows, pair_at, fresh_rows).astype(np.intp)
    codes = np.insert(column.codes[pair_kept], pair_at, fresh_codes)
    starts = np.zeros(moved.size + 1, dtype=np.intp)  # a count per record, summed: faster than searchsorted
    starts[1:] = np.cumsum(np.bincount(rows, minlength=moved.size))
    return replace(column, values=values, keys=keys, codes=codes, rows=rows, starts=starts, names=names)
