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
    kept = int(keep.sum())
    ids = np.concatenate([index.ids[keep], fresh.ids])
    order = np.argsort(ids, kind="stable")
    place = np.empty(len(ids), dtype=np.intp)  # position in the concatenation -> row in the result
    place[order] = np.arange(len(ids))
    moved = Moves(keep=keep, kept_at=np.cumsum(keep) - 1, kept=kept, place=place, order=order, size=len(ids))
    return replace(
        index,
        ids=ids[order],
        published=np.concatenate([index.published[keep], fresh.published])[order],
        owner_ids=np.concatenate([index.owner_ids[keep], fresh.owner_ids])[order],
        columns={name: _merge_column(column, fresh.columns[name], moved) for name, column in index.columns.items()},
    )


@dataclass
class Moves:
    """Where each old row and each fresh row goes in the merged index."""

    keep: np.ndarray  # old rows that stay
    kept_at: np.ndarray  # old row -> its position in the concatenation (where kept)
    kept: int  # fresh row i is at kept + i in the concatenation
    place: np.ndarray  # position in the concatenation -> row in the result
    order: np.ndarray  # row in the result -> position in the concatenation
    size: int


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
        codes = np.concatenate([column.codes[moved.keep], fresh_codes])[moved.order]
        return replace(column, values=values, keys=keys, codes=codes, names=names)
    pair_kept = moved.keep[column.rows]
    rows = np.concatenate(
        [moved.place[moved.kept_at[column.rows[pair_kept]]], moved.place[moved.kept + fresh.rows]]
    ).astype(np.intp)
    codes = np.concatenate([column.codes[pair_kept], fresh_codes])
    by_row = np.argsort(rows, kind="stable")  # pairs stay sorted by record (FacetColumn._pairs_of)
    rows, codes = rows[by_row], codes[by_row]
    starts = np.searchsorted(rows, np.arange(moved.size + 1))
    return replace(column, values=values, keys=keys, codes=codes, rows=rows, starts=starts, names=names)
