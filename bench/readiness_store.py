"""What the readiness store buys (run by hand; prints its figures).

    DATABASE_URL=postgres://root@127.0.0.1:5432/milieu_bench_store \
        BENCH_PEOPLE=500 .venv/bin/python bench/readiness_store.py

Seeds staff with ``bench/team_matrix.py``'s seeder (15 skill checklists each), times
``rebuild_readiness``, then the HR dashboard and the agency-wide "not ready" matrix
through Django's test client, first computed by the roll-up (the code path before
the store), then read from the store: median of a few requests and queries each.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault(
    "DATABASE_URL", "postgres://root@127.0.0.1:5432/milieu_bench_store"
)

import team_matrix  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


def measure(client, url: str, params: dict, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of the Django process (the machine is shared, so
    CPU time is the steadier figure), and the queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus, count = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, params)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, response.status_code
        count = len(captured)
    return statistics.median(walls), statistics.median(cpus), count


def main() -> None:
    import time_machine

    team_matrix.setup_django()
    from django.test import Client

    from compliance import selectors
    from readiness.services import readiness_rebuild

    with time_machine.travel(NOON, tick=False):
        data = team_matrix.seed()
        people = data["people"]
        started, cpu = time.perf_counter(), time.process_time()
        readiness_rebuild()
        rebuild, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{people} staff: rebuild_readiness {rebuild:.1f} s ({cpu:.1f} s CPU)")
        client = Client()
        client.force_login(data["hr"])
        from django.urls import reverse

        pages = {
            "dashboard": (reverse("compliance:dashboard"), {}),
            "not ready": (reverse("compliance:matrix"), {"verdict": "not_ready"}),
        }
        serves = selectors.store_serves
        for name, (url, params) in pages.items():
            selectors.store_serves = lambda as_of: False
            try:
                before, before_cpu, before_q = measure(client, url, params, 1)
            finally:
                selectors.store_serves = serves
            measure(client, url, params, 1)  # warm
            after, after_cpu, after_q = measure(client, url, params, RUNS)
            print(
                f"{people} staff: {name}: roll-up {before * 1000:.0f} ms wall, "
                f"{before_cpu * 1000:.0f} ms CPU ({before_q} queries); store "
                f"{after * 1000:.0f} ms wall, {after_cpu * 1000:.0f} ms CPU "
                f"({after_q} queries); CPU {before_cpu / after_cpu:.0f}x"
            )


if __name__ == "__main__":
    main()
