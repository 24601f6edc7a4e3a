"""Database expressions the apps share: date arithmetic that compiles for both
SQLite (tests, the small install) and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from django.db.models import Func, IntegerField, Value


class DaysUntil(Func):
    """Whole days from ``today`` to a date expression (negative once it has passed):
    the database twin of ``(date - today).days``."""

    output_field = IntegerField()

    def __init__(self, date_expr, today: dt.date) -> None:
        super().__init__(date_expr, Value(today))

    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]
        lhs, lparams = compiler.compile(self.source_expressions[0])
        rhs, rparams = compiler.compile(self.source_expressions[1])
        return f"({lhs} - CAST({rhs} AS date))", [*lparams, *rparams]

    def as_sqlite(self, compiler, connection, **extra):
        lhs, lparams = compiler.compile(self.source_expressions[0])
        rhs, rparams = compiler.compile(self.source_expressions[1])
        return (
            f"CAST(ROUND(julianday({lhs}) - julianday({rhs})) AS INTEGER)",
            [*lparams, *rparams],
        )
