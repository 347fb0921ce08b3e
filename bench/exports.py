"""Export benchmark: every format against a plain GeoDataFrame.to_file of the same data.

`python -m bench.exports [--n 100000] [--k 3] [--database URL]` builds N pins in a temporary
SQLite database (or the given empty database), then times k runs of each export (database read
included), each beside a run of the floor, and writes the medians and the ratio of each export
to its own floor runs to bench/README.md.
"""

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import report
from bench.fill import SLUG, fill
from geoapp.services import export_package, exports
from geoapp.services.consultations import get_for_planner
from geoapp.services.export_formats import Format
from geoapp.store import Store, open_store

GOALS = {"xlsx": 5.0, "competition package": 6.0}
"""× floor; every other format (the GIS formats): 2."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="contributions (default 100000)")
    parser.add_argument("--k", type=int, default=3, help="runs per format; the median counts")
    parser.add_argument("--database", help="an empty database URL instead of a SQLite file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-exports-", dir=Path.cwd()) as scratch:
        folder = Path(scratch)
        store = open_store(args.database or f"sqlite:///{folder / 'bench.sqlite'}")
        try:
            seconds = fill(store, args.n)
            print(f"{args.n} contributions written in {seconds:.1f} s\n")
            rows = _run(store, folder, args.k)
        finally:
            store.close()
    backend = "PostgreSQL" if args.database else "SQLite"
    lines = [
        f"### Exports of {args.n:,} pins, {backend}",
        "",
        f"`python -m bench.exports --n {args.n} --k {args.k}`: each export (database read "
        "included) against the floor, a plain `GeoDataFrame.to_file` (GPKG) of the same, "
        f"already loaded data in the same process, run alternately with each export; median of "
        f"{args.k} runs, ratios to the floor runs beside each export. Load average "
        f"{os.getloadavg()[0]:.1f} at the end (shared 2-core machine).",
        "",
        "| what | median s | × floor | goal |",
        "| --- | ---: | ---: | --- |",
        *(
            f"| {name} | {seconds:.2f} | {ratio:.1f} | {_goal(name, ratio)} |"
            for name, seconds, ratio in rows
        ),
    ]
    report.write_section("exports-postgres" if args.database else "exports", "\n".join(lines))


def _goal(name: str, ratio: float) -> str:
    if name.startswith("floor") or name.startswith("read"):
        return "–"
    goal = GOALS.get(name.removeprefix("export "), 2.0)
    return f"≤ {goal:g} {'met' if ratio <= goal else 'not met'}"


def _run(store: Store, folder: Path, k: int) -> list[tuple[str, float, float]]:
    consultation = get_for_planner(store, SLUG)
    data = exports.collect(store, consultation, exports.ExportFilter())
    licence = export_package.Licence("dl-de/by-2-0", "Benchmark")
    everything = exports.ExportFilter()
    tasks: list[tuple[str, Callable[[Path], object]]] = [
        ("read from database only", lambda _out: exports.collect(store, consultation, everything)),
        *(
            (
                f"export {fmt}",
                lambda out, fmt=fmt: exports.export_file(
                    store, consultation, fmt, None, everything, out
                ),
            )
            for fmt in Format
        ),
        (
            "competition package",
            lambda out: export_package.build(store, None, consultation, everything, licence, out),
        ),
    ]

    def floor(out: Path) -> None:
        data.contributions.to_file(out / "floor.gpkg")

    print(f"{'what':<40} {'median s':>9} {'× floor':>8}", flush=True)
    rows: list[tuple[str, float, float]] = []
    floors: list[float] = []
    for name, task in tasks:
        beside, times = _interleaved(k, floor, task, folder)
        floors += beside
        seconds = report.median(times)
        rows.append((name, seconds, seconds / report.median(beside)))
        print(f"{name:<40} {seconds:>9.2f} {rows[-1][2]:>8.1f}", flush=True)
    return [("floor: `GeoDataFrame.to_file` (GPKG)", report.median(floors), 1.0), *rows]


def _interleaved(
    k: int, floor: Callable[[Path], object], task: Callable[[Path], object], folder: Path
) -> tuple[list[float], list[float]]:
    """k runs of the floor and of the task, alternating: both see the same load."""
    floors: list[float] = []
    times: list[float] = []
    for _ in range(k):
        for run, into in ((floor, floors), (task, times)):
            with tempfile.TemporaryDirectory(dir=folder) as out:
                started = time.perf_counter()
                run(Path(out))
                into.append(time.perf_counter() - started)
    return floors, times


if __name__ == "__main__":
    main()
