"""Fixtures of the compliance tests: fake course and credential providers fed from a
table, so the roll-up can be tested without the other apps."""

from __future__ import annotations

import pytest

from portal import requirements
from portal.requirements import RequirementStatus


class FakeRequirements:
    """``add(staff, key, status, kind=..., before_first_shift=..., as_of_from=...)``
    rows; a row with ``valid`` (from, to) applies only to as_of dates in that range."""

    def __init__(self):
        self.rows: list[dict] = []
        self.calls = 0

    def add(
        self,
        staff,
        key,
        status,
        *,
        kind="course",
        label=None,
        before_first_shift=False,
        valid=None,
        expires_on=None,
        detail="",
    ):
        self.rows.append(
            {
                "staff_id": staff.pk if hasattr(staff, "pk") else staff,
                "key": f"{kind}:{key}",
                "label": label or key,
                "kind": kind,
                "status": status,
                "before_first_shift": before_first_shift,
                "valid": valid,
                "expires_on": expires_on,
                "detail": detail,
            }
        )
        # The fake rows change behind the readiness store's back: tell it, as a
        # receiver would for a real record.
        from readiness.services import readiness_refresh

        readiness_refresh(staff_ids=[self.rows[-1]["staff_id"]])

    def provider(self, kind):
        def provide(*, staff_ids, as_of):
            self.calls += 1
            wanted = set(staff_ids)
            for row in self.rows:
                if row["kind"] != kind or row["staff_id"] not in wanted:
                    continue
                if row["valid"] and not (row["valid"][0] <= as_of <= row["valid"][1]):
                    continue
                yield RequirementStatus(
                    staff_id=row["staff_id"],
                    key=row["key"],
                    label=row["label"],
                    kind=kind,
                    status=row["status"],
                    before_first_shift=row["before_first_shift"],
                    expires_on=row["expires_on"],
                    detail=row["detail"],
                )

        return provide


@pytest.fixture
def fake_requirements():
    """Registers fake "course" and "credential" providers; restores the real ones."""
    saved = requirements.providers()
    fake = FakeRequirements()
    requirements.register_provider("course", fake.provider("course"))
    requirements.register_provider("credential", fake.provider("credential"))
    yield fake
    requirements._providers.clear()
    requirements._providers.update(saved)
