"""Writes benchmark: 50 concurrent writers against the write floor, interleaved, medians.

`python -m bench.writes [--writers 50] [--pins 2000] [--k 3] [--database URL]` starts the app
(one uvicorn worker, as `geoapp serve`, synchronous=FULL) on a fresh database with the demo
consultations, and beside it `floor_write.py` of ../shared/bench (pydantic body, perimeter
test, WAL with synchronous=NORMAL, R*Tree insert) on the same perimeter and categories. N
clients post pins as the page does (participant cookie, form token, Idempotency-Key); a run
counts acknowledged pins per second and then checks that every acknowledged pin is stored.
Product and floor runs alternate; the medians and their ratio go to bench/README.md.
"""

import argparse
import json
import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import report
from bench.fill import SLUG, floors_dir
from bench.ingest import UNLIMITED, Run, ingest, pin_for
from geoapp.paths import bundled
from geoapp.services import demo
from geoapp.store import open_store
from tests.live_server import ServerProcess

GOAL = 0.5


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.writes", description=__doc__)
    parser.add_argument("--writers", type=int, default=50, help="concurrent clients")
    parser.add_argument("--pins", type=int, default=2000, help="pins per run")
    parser.add_argument("--k", type=int, default=3, help="runs of each; the median counts")
    parser.add_argument(
        "--database", help="run the product on this (empty) database URL instead of SQLite"
    )
    args = parser.parse_args(argv)
    runs: dict[str, list[Run]] = {"product": [], "floor": []}
    for index in range(args.k):
        for name in runs:
            run = (_product if name == "product" else _floor)(args)
            runs[name].append(run)
            print(
                f"run {index + 1}/{args.k} {name:7}: {run.pins_per_second:7.1f} pins/s, "
                f"latency median {run.median_latency_ms:6.1f} ms, p90 {run.p90_latency_ms:6.1f} ms",
                flush=True,
            )
    product, floor = (
        report.median([r.pins_per_second for r in runs[name]]) for name in ("product", "floor")
    )
    latency = {
        name: (
            report.median([r.median_latency_ms for r in runs[name]]),
            report.median([r.p90_latency_ms for r in runs[name]]),
        )
        for name in runs
    }
    ratio = product / floor
    backend = "PostgreSQL" if args.database else "SQLite (synchronous=FULL)"
    section = "writes-postgres" if args.database else "writes"
    lines = [
        f"### {args.writers} concurrent writers, {backend}",
        "",
        f"`python -m bench.writes --writers {args.writers} --pins {args.pins} --k {args.k}`: "
        f"{args.pins} pins per run, product and floor runs alternating, median of {args.k}. "
        "Every acknowledged pin was found stored after each run (none lost). Load average "
        f"{os.getloadavg()[0]:.1f} at the end (shared 2-core machine).",
        "",
        "| what | pins/s | latency median / p90 ms | × floor | goal |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| floor `floor_write.py` (synchronous=NORMAL) | {floor:.1f} | "
        f"{latency['floor'][0]:.1f} / {latency['floor'][1]:.1f} | 1.00 | – |",
        f"| product `POST …/contributions` | {product:.1f} | "
        f"{latency['product'][0]:.1f} / {latency['product'][1]:.1f} | {ratio:.2f} | "
        f"≥ {GOAL} {'met' if ratio >= GOAL else 'not met'} |",
    ]
    report.write_section(section, "\n".join(lines))
    print(f"\nproduct {product:.1f} pins/s, floor {floor:.1f} pins/s: {ratio:.2f} × floor")


def _product(args: argparse.Namespace) -> Run:
    with tempfile.TemporaryDirectory(prefix="bench-writes-", dir=Path.cwd()) as scratch:
        folder = Path(scratch)
        url = args.database or f"sqlite:///{folder / 'geoapp.sqlite'}"
        store = open_store(url)
        try:
            demo.seed_if_empty(store, bundled("heeren-werve"))
            consultation = store.get_consultation(SLUG)
            assert consultation is not None
        finally:
            store.close()
        before = _count(url, "SELECT count(*) FROM contributions")
        pin = pin_for(consultation)
        path = f"/api/consultations/{SLUG}/contributions"
        with ServerProcess(folder, env={**UNLIMITED, "GEOAPP_DATABASE_URL": url}) as server:
            run = ingest(server.url, path, pin, args.writers, args.pins)
        _require_stored(_count(url, "SELECT count(*) FROM contributions") - before, args.pins)
        return run


def _floor(args: argparse.Namespace) -> Run:
    with tempfile.TemporaryDirectory(prefix="bench-floor-", dir=Path.cwd()) as scratch:
        folder = Path(scratch)
        store = open_store(f"sqlite:///{folder / 'demo.sqlite'}")
        try:
            demo.seed(store, bundled("heeren-werve"))
            consultation = store.get_consultation(SLUG)
            assert consultation is not None
        finally:
            store.close()
        perimeter = folder / "perimeter.json"
        perimeter.write_text(json.dumps(consultation.perimeter), encoding="utf-8")
        database = folder / "pins.sqlite"
        env = {
            "FLOOR_DB": str(database),
            "FLOOR_PERIMETER": str(perimeter),
            "FLOOR_CATS": json.dumps([c.key for c in consultation.categories]),
        }
        floor_app = ("-m", "uvicorn", "--app-dir", str(floors_dir()), "floor_write:app")
        pin = pin_for(consultation)
        server = ServerProcess(folder, python_args=floor_app, env=env, ready_path="/openapi.json")
        with server:
            run = ingest(server.url, "/pins", pin, args.writers, args.pins)
        with sqlite3.connect(database) as conn:
            _require_stored(conn.execute("SELECT count(*) FROM pins").fetchone()[0], args.pins)
        return run


def _count(url: str, query: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(query)).scalar_one())
    finally:
        engine.dispose()


def _require_stored(stored: int, acknowledged: int) -> None:
    if stored != acknowledged:
        raise RuntimeError(f"{acknowledged} pins acknowledged, {stored} stored")


if __name__ == "__main__":
    main()
