"""The benchmarks' data: the demo consultation `ortsmitte` filled with N published pins."""

import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import shapely.geometry

from geoapp.domain import Contribution, Status
from geoapp.paths import bundled
from geoapp.services import demo
from geoapp.services.consultations import get_for_planner
from geoapp.store import Store

BATCH = 10_000
SLUG = "ortsmitte"  # a demo consultation: its real perimeter and categories
TEXTS = (
    "Mehr Bänke mit Aufstehhilfe vor der Sparkasse.",
    "Der Radweg endet hier plötzlich; bitte durchgehend bis zum Bahnhof.",
    '=HYPERLINK("http://example.org") als Test gegen Formeln',
    "Schöner Platz, aber abends zu dunkel.",
)


def fill(store: Store, n: int) -> float:
    """Seed the demo consultations and add `n` published pins to `ortsmitte`; the seconds."""
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


def floors_dir() -> Path:
    """Where the floors of ../shared/bench live: GEOAPP_BENCH_FLOORS, else `shared/bench`
    beside this checkout or beside the folder of its worktrees."""
    if configured := os.environ.get("GEOAPP_BENCH_FLOORS"):
        return Path(configured)
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "bench" / "floor_write.py").exists():
            return parent / "shared" / "bench"
    raise FileNotFoundError("no shared/bench/floor_write.py beside this checkout")
