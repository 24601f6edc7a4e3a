"""The roll-up lives in ``portal.rollup`` (below every app that reads it); this
name stays for code that still imports it from here."""

from portal.rollup import (
    KIND_ORDER,
    VERDICT_FILTERS,
    Column,
    Readiness,
    column_sort_key,
    column_totals,
    columns_of,
    off_staff_phrase,
    readiness_for,
)

__all__ = [
    "KIND_ORDER",
    "VERDICT_FILTERS",
    "Column",
    "Readiness",
    "column_sort_key",
    "column_totals",
    "columns_of",
    "off_staff_phrase",
    "readiness_for",
]
