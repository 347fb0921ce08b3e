"""Backends benchmark: the map's viewport query and concurrent ingest, SQLite against PostGIS.

`python -m bench.backends [--pins 20000] [--k 7] [--writers 50] [--ingest 500]` fills each
backend with the demo plus N pins over the Ortsmitte (a throwaway PostgreSQL cluster as the
tests start it, a SQLite file beside the current directory), then measures

- the viewport: `list_contributions` with a bbox holding about 500 pins, median of k runs;
- ingest: W clients posting pins as the page does to one `geoapp serve` process on that
  database, pins per second and request latency, median of k runs;

and writes the medians and the ratios SQLite/PostgreSQL into bench/README.md.
"""

import argparse
import math
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.ingest import UNLIMITED, Run, ingest, pin_for
from bench.report import median, write_section
from geoapp.domain import BBox, ContributionQuery
from geoapp.paths import bundled
from geoapp.services import demo
from geoapp.store import Store, open_store
from tests.installation import AREA, SLUG, add_pins
from tests.live_server import ServerProcess
from tests.postgres import PostgresCluster, _bindir

VIEWPORT_PINS = 500


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.backends", description=__doc__)
    parser.add_argument("--pins", type=int, default=20_000, help="pins in the database")
    parser.add_argument("--k", type=int, default=7, help="runs per figure; the median counts")
    parser.add_argument("--writers", type=int, default=50, help="concurrent ingest clients")
    parser.add_argument("--ingest", type=int, default=500, help="pins posted per ingest run")
    args = parser.parse_args(argv)
    bbox = _viewport(args.pins)
    results: dict[str, tuple[float, int, Run]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-backends-", dir=Path.cwd()) as scratch:
        folder = Path(scratch)
        with _postgres() as postgres_url:
            urls = {"SQLite": f"sqlite:///{folder / 'geoapp.sqlite'}", "PostgreSQL": postgres_url}
            for name, url in urls.items():
                store = open_store(url)
                try:
                    demo.seed(store, bundled("heeren-werve"))
                    add_pins(store, args.pins)
                    seconds, found = _viewport_median(store, bbox, args.k)
                finally:
                    store.close()
                print(f"{name}: viewport {seconds * 1000:.1f} ms for {found} pins", flush=True)
                runs = [_ingest_run(url, folder, args.writers, args.ingest) for _ in range(args.k)]
                run = Run(
                    median([r.pins_per_second for r in runs]),
                    median([r.median_latency_ms for r in runs]),
                    median([r.p90_latency_ms for r in runs]),
                )
                print(f"{name}: ingest {run.pins_per_second:.1f} pins/s", flush=True)
                results[name] = (seconds, found, run)
    report = _markdown(results, args)
    print(report)
    write_section("backends", report)


def _viewport(pins: int) -> BBox:
    """A bbox in the middle of the pins' area holding about VIEWPORT_PINS of them."""
    share = math.sqrt(VIEWPORT_PINS / pins)
    min_lon, min_lat, max_lon, max_lat = AREA
    half_lon, half_lat = (max_lon - min_lon) * share / 2, (max_lat - min_lat) * share / 2
    lon, lat = (min_lon + max_lon) / 2, (min_lat + max_lat) / 2
    return BBox(lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat)


def _viewport_median(store: Store, bbox: BBox, k: int) -> tuple[float, int]:
    consultation = store.get_consultation(SLUG)
    assert consultation is not None
    query = ContributionQuery(consultation_id=consultation.id, bbox=bbox)
    store.list_contributions(query)  # warm the caches, as a running server has them
    times, found = [], 0
    for _ in range(k):
        started = time.perf_counter()
        found = len(store.list_contributions(query))
        times.append(time.perf_counter() - started)
    return statistics.median(times), found


def _ingest_run(url: str, folder: Path, writers: int, pins: int) -> Run:
    store = open_store(url)
    try:
        consultation = store.get_consultation(SLUG)
        assert consultation is not None
    finally:
        store.close()
    pin = pin_for(consultation)
    env = {**UNLIMITED, "GEOAPP_DATABASE_URL": url}
    with ServerProcess(folder, ("-m", "geoapp", "serve"), env=env) as server:
        return ingest(server.url, f"/api/consultations/{SLUG}/contributions", pin, writers, pins)


@contextmanager
def _postgres() -> Iterator[str]:
    """A throwaway PostGIS cluster with one migrated database, as the tests start it."""
    bindir = _bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed: run scripts/install-test-system-deps.sh")
    cluster = PostgresCluster(bindir)
    try:
        cluster.start()
        with cluster.admin() as conn:
            # The tests' cluster skips fsync; a benchmark against SQLite's FULL must not.
            for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                conn.execute(f"ALTER SYSTEM SET {setting} = on")
            conn.execute("SELECT pg_reload_conf()")
        cluster.make_database()
        yield cluster.url("geoapp_test")
    finally:
        cluster.stop()


def _markdown(results: dict[str, tuple[float, int, Run]], args: argparse.Namespace) -> str:
    sqlite, postgres = results["SQLite"], results["PostgreSQL"]
    rows = [
        (
            f"viewport: bbox with ~{VIEWPORT_PINS} pins (ms)",
            sqlite[0] * 1000,
            postgres[0] * 1000,
        ),
        (
            f"ingest, {args.writers} clients (pins/s)",
            sqlite[2].pins_per_second,
            postgres[2].pins_per_second,
        ),
        ("ingest latency median (ms)", sqlite[2].median_latency_ms, postgres[2].median_latency_ms),
        ("ingest latency p90 (ms)", sqlite[2].p90_latency_ms, postgres[2].p90_latency_ms),
    ]
    table = "\n".join(f"| {what} | {a:.1f} | {b:.1f} | {a / b:.2f} |" for what, a, b in rows)
    command = (
        f"python -m bench.backends --pins {args.pins} --k {args.k} "
        f"--writers {args.writers} --ingest {args.ingest}"
    )
    return f"""## Backends: SQLite and PostgreSQL/PostGIS

`{command}`: the demo plus {args.pins} pins on each backend. The viewport query
(`list_contributions` with a bbox) found {sqlite[1]} pins on SQLite and {postgres[1]} on
PostgreSQL. Ingest: {args.ingest} pins posted by {args.writers} concurrent clients to one
`geoapp serve` process (one worker) as the page sends them. Medians of {args.k} runs.
PostgreSQL is a throwaway cluster on this machine (Unix socket, fsync and synchronous_commit
on, default settings otherwise), SQLite runs with synchronous=FULL: both make every
acknowledged pin durable. One worker leaves PostgreSQL's concurrency across processes unused.
Load average of the machine when the run ended: {os.getloadavg()[0]:.1f} (other work shares
its cores; the ratios are what to compare).

| what | SQLite | PostgreSQL | SQLite / PostgreSQL |
| --- | ---: | ---: | ---: |
{table}
"""


if __name__ == "__main__":
    main()
