"""Benchmark of the streamed CSV export (run by hand; prints its figures).

    DATABASE_URL=postgres://root@127.0.0.1:5432/milieu_bench_export \
        /work/main/.venv/bin/python bench/export.py

Seeds 6,667 staff x 15 required skill checklists (100,005 requirement rows) with
the same bulk seeder as bench/team_matrix.py, then streams /matrix/export.csv as
HR through Django's test client: time to the first byte, total time, rows, and
peak memory (Python allocations by tracemalloc during a second pass, and the
process's peak RSS).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault(
    "DATABASE_URL", "postgres://root@127.0.0.1:5432/milieu_bench_export"
)
import team_matrix as bench  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_EXPORT_PEOPLE", "6667"))


def stream(client, url: str) -> tuple[float, float, int, int]:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    first = None
    lines = size = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - start
        lines += chunk.count(b"\n")
        size += len(chunk)
    return first or 0.0, time.perf_counter() - start, lines, size


def main() -> None:
    bench.setup_django()
    if not os.environ.get("BENCH_SEEDED"):
        # Seed here, measure in a fresh process so seeding does not inflate RSS.
        bench.seed(people=PEOPLE)
        env = {**os.environ, "BENCH_SEEDED": "1"}
        raise SystemExit(subprocess.call([sys.executable, __file__], env=env))
    from django.test import Client

    from portal.models import User

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    info = {
        "people": PEOPLE,
        "checklists": bench.REQUIREMENTS,
        "hr": User.objects.get(email="hr@bench.local"),
    }
    client = Client()
    client.force_login(info["hr"])
    url = f"/matrix/export.csv?as_of={bench.AS_OF}"
    first, total, lines, size = stream(client, url)
    print(
        f"{info['people']} staff x {info['checklists']} requirements: "
        f"{lines - 1} data rows, {size / 1e6:.1f} MB of CSV"
    )
    print(f"First byte {first * 1000:.0f} ms, total {total:.1f} s")
    rss_stream = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    stream(client, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"Peak RSS of the process: {rss_before:.0f} MB before the export, "
        f"{rss_stream:.0f} MB after streaming it (growth "
        f"{rss_stream - rss_before:.0f} MB); peak Python allocations while "
        f"streaming (tracemalloc, second pass): {peak / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
