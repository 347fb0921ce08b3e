"""Moderation queue benchmark: a page of the planners' queue at 100,000 pins.

`python -m bench.queue [--n 100000] [--k 5] [--database URL]` fills the demo consultation
`ortsmitte` with N published pins and times, through the ASGI app as a signed-in planner
(TestClient, no network), the first page, a page deep in the queue (after walking there by
cursor), a filtered page (one category, one source), a text search ("Bänke"), the reported
filter (200 pins with an open report) and the pending pins of every consultation. Each figure
is the median of k requests; the goal is under 100 ms a page.
"""

import argparse
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from bench import report
from bench.fill import SLUG, fill
from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import ContributionQuery, PlannerRole, Report, ReportReason, TargetKind
from geoapp.store import Store
from tests.factories import sign_in_as

GOAL_MS = 100
PAGE = 50
REPORTED = 200


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.queue", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="published pins (default 100000)")
    parser.add_argument("--k", type=int, default=5, help="requests per case; the median counts")
    parser.add_argument("--database", help="an empty database URL instead of a SQLite file")
    parser.add_argument("--deep", type=int, default=20, help="pages walked before the deep one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-queue-", dir=Path.cwd()) as scratch:
        folder = Path(scratch)
        settings = Settings(
            data_dir=folder,
            seed_demo=False,
            database_url=args.database or f"sqlite:///{folder / 'bench.sqlite'}",
        )
        with TestClient(create_app(settings)) as client:
            store = client.app.state.store  # type: ignore[attr-defined]
            seconds = fill(store, args.n)
            print(f"{args.n} pins written in {seconds:.1f} s", flush=True)
            _report_some(store, REPORTED)
            sign_in_as(client, store, PlannerRole.MODERATOR, username="bench")
            consultation = store.get_consultation(SLUG)
            rows = _cases(client, args, consultation.categories[0].key)
    backend = "PostgreSQL" if args.database else "SQLite"
    lines = [
        f"### Moderation queue, {args.n:,} pins, {backend}",
        "",
        f"`python -m bench.queue --n {args.n} --k {args.k}`: `GET /api/planner/contributions` "
        f"through the ASGI app as a signed-in planner, {PAGE} pins a page, each page with the "
        "total (counted for a walk's first page, carried by its cursor); median of "
        f"{args.k} requests. Goal: under {GOAL_MS} ms a page.",
        "",
        f"CPU ms is the process's CPU time per request (app and client share the process): "
        f"the machine's load (average {os.getloadavg()[0]:.1f} at the end) stretches the wall "
        "time, not that.",
        "",
        "| page | total | median ms | CPU ms | goal |",
        "| --- | ---: | ---: | ---: | --- |",
        *(
            f"| {name} | {total:,} | {ms:.1f} | {cpu:.1f} | "
            f"{'met' if ms < GOAL_MS else 'not met'} |"
            for name, total, ms, cpu in rows
        ),
    ]
    report.write_section("queue-postgres" if args.database else "queue", "\n".join(lines))
    for name, total, ms, cpu in rows:
        print(f"{name:<45} total {total:>7}  {ms:7.1f} ms  CPU {cpu:7.1f} ms")


def _report_some(store: Store, n: int) -> None:
    """Open reports on the `n` newest pins, so that the reported filter has something to find."""
    consultation = store.get_consultation(SLUG)
    assert consultation is not None
    newest = store.list_contributions(ContributionQuery(consultation.id, limit=n))
    for pin in newest:
        store.add_report(
            Report(
                id=str(uuid.uuid4()),
                target_kind=TargetKind.CONTRIBUTION,
                target_id=pin.id,
                participant_hash=uuid.uuid4().hex * 2,
                reason=ReportReason.INSULT,
                note=None,
                created_at=datetime.now(UTC),
                network_hash=None,
            )
        )


def _cases(
    client: TestClient, args: argparse.Namespace, category: str
) -> list[tuple[str, int, float, float]]:
    base = {"consultation": SLUG, "status": "published", "limit": PAGE}
    cursor = None
    for _ in range(args.deep):
        cursor = client.get("/api/planner/contributions", params={**base, **_at(cursor)}).json()[
            "next"
        ]
    cases = [
        ("first page", base),
        (f"page {args.deep + 1} (by cursor)", {**base, **_at(cursor)}),
        ("one category, source online", {**base, "category": category, "source": "online"}),
        ('text search "Bänke"', {**base, "q": "Bänke"}),
        ("text search, deep page", {**base, "q": "Radweg Bahnhof", **_at(cursor)}),
        ("reported only", {**base, "reported": "true"}),
        ("pending, every consultation", {"status": "pending", "limit": PAGE}),
    ]
    rows = []
    for name, params in cases:
        times, cpu, total = [], [], 0
        for _ in range(args.k):
            started, used = time.perf_counter(), time.process_time()
            response = client.get("/api/planner/contributions", params=params)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            response.raise_for_status()
            total = response.json()["total"]
        rows.append((name, total, report.median(times), report.median(cpu)))
    return rows


def _at(cursor: str | None) -> dict[str, str]:
    return {"cursor": cursor} if cursor else {}


if __name__ == "__main__":
    main()
