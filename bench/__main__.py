"""Export benchmark: every format against a plain GeoDataFrame.to_file of the same data.

`python -m bench [--n 100000] [--k 3]` builds N pins in a temporary SQLite database, then
prints the median of k runs of each export (database read included) and its ratio to the floor.
"""

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import shapely.geometry

from geoapp.domain import Contribution, Status
from geoapp.paths import bundled
from geoapp.services import demo, export_package, exports
from geoapp.services.consultations import get_for_planner
from geoapp.services.export_formats import Format
from geoapp.store import Store, open_store

BATCH = 10_000
SLUG = "ortsmitte"  # a demo consultation: its real perimeter and categories
TEXTS = (
    "Mehr Bänke mit Aufstehhilfe vor der Sparkasse.",
    "Der Radweg endet hier plötzlich; bitte durchgehend bis zum Bahnhof.",
    '=HYPERLINK("http://example.org") als Test gegen Formeln',
    "Schöner Platz, aber abends zu dunkel.",
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="contributions (default 100000)")
    parser.add_argument("--k", type=int, default=3, help="runs per format; the median counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        store = open_store(f"sqlite:///{folder / 'bench.sqlite'}")
        try:
            seconds = _fill(store, args.n)
            print(f"{args.n} contributions written in {seconds:.1f} s\n")
            _run(store, folder, args.k)
        finally:
            store.close()


def _fill(store: Store, n: int) -> float:
    started = time.perf_counter()
    demo.seed(store, bundled("heeren-werve"))
    consultation = get_for_planner(store, SLUG)
    min_lon, min_lat, max_lon, max_lat = shapely.geometry.shape(consultation.perimeter).bounds
    rng = random.Random(42)
    now = datetime.now(UTC)
    categories = [c.key for c in consultation.categories]
    for start in range(0, n, BATCH):
        store.add_contributions(
            [
                Contribution(
                    id=str(uuid.uuid4()),
                    consultation_id=consultation.id,
                    geometry={
                        "type": "Point",
                        "coordinates": [
                            round(rng.uniform(min_lon, max_lon), 7),
                            round(rng.uniform(min_lat, max_lat), 7),
                        ],
                    },
                    category=rng.choice(categories),
                    text=rng.choice(TEXTS),
                    author_name=rng.choice((None, "Erika", "Jörg")),
                    status=Status.PUBLISHED,
                    support_count=rng.randrange(20),
                    created_at=now - timedelta(seconds=i),
                    updated_at=now,
                )
                for i in range(start, min(start + BATCH, n))
            ],
            [],
        )
    return time.perf_counter() - started


def _run(store: Store, folder: Path, k: int) -> None:
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
    floor = _median(k, lambda out: data.contributions.to_file(out / "floor.gpkg"), folder)
    print(f"{'what':<40} {'median s':>9} {'× floor':>8}")
    print(f"{'floor: GeoDataFrame.to_file (GPKG)':<40} {floor:>9.2f} {1:>8.1f}", flush=True)
    for name, task in tasks:
        seconds = _median(k, task, folder)
        print(f"{name:<40} {seconds:>9.2f} {seconds / floor:>8.1f}", flush=True)


def _median(k: int, task: Callable[[Path], object], folder: Path) -> float:
    times = []
    for _ in range(k):
        with tempfile.TemporaryDirectory(dir=folder) as out:
            started = time.perf_counter()
            task(Path(out))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


if __name__ == "__main__":
    main()
