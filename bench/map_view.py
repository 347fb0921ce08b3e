"""Map benchmark: the resident page and the map's reads at 20,000 and 100,000 pins vs the floor.

`python -m bench.map_view [--n 20000 100000] [--k 3] [--seconds 5]` fills a temporary SQLite
database per N with N published pins inside the perimeter of the demo consultation `ortsmitte`,
builds the read floor (../shared/bench/floor_app.py) on the same points, starts both under
uvicorn (one worker each) and measures, runs of the two interleaved, the median of k:

- the resident page `/?c=ortsmitte` in headless Chromium (Playwright, Debian's chromium):
  time until the first marker is drawn, the longest main-thread task (PerformanceObserver
  `longtask`), DOM elements, and the bytes over the wire of the whole first load;
- the first load's data (the map view and the list page the page asks for) against the floor's
  answer for the whole perimeter (every pin, no bbox), in seconds;
- a bbox holding about 500 pins: requests per second, 8 connections, ours (gzip, no ETag sent)
  against the floor's; ours once as deployed (the same view again comes from the worker's
  view cache), once from a server that keeps no views (every answer computed), and once
  revalidated with If-None-Match.

The figures go into the `map` section of bench/README.md. Not a test: it measures.
"""

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit

import geopandas
import httpx
import shapely.geometry

from bench.fill import floors_dir
from bench.report import median, write_section
from geoapp.domain import BBox, Contribution, ContributionQuery, Status
from geoapp.paths import bundled
from geoapp.services import demo
from geoapp.store import open_store
from tests.live_server import ServerProcess, free_port

SLUG = "ortsmitte"
CHROMIUM = os.environ.get("GEOAPP_CHROMIUM", "/usr/bin/chromium")
BATCH = 10_000
TARGET_PINS = 500
CONNECTIONS = (2, 4)  # processes × threads: 8 connections, as `wrk -t2 -c8`
TEXTS = (
    "Mehr Bänke mit Aufstehhilfe vor der Sparkasse.",
    "Der Radweg endet hier plötzlich; bitte durchgehend bis zum Bahnhof.",
    "Schöner Platz, aber abends zu dunkel.",
    "Die Ampel an der Kreuzung schaltet für Fußgänger viel zu kurz, besonders für ältere Menschen.",
)
# Runs in the page before its own scripts: when the first marker appears, and long tasks.
MEASURE = """
window.__bench = { longest: 0, tasks: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__bench.longest = Math.max(window.__bench.longest, entry.duration);
    window.__bench.tasks += 1;
  }
}).observe({ type: 'longtask', buffered: true });
new MutationObserver(() => {
  if (window.__bench.marker === undefined
      && document.querySelector('.leaflet-marker-pane .leaflet-marker-icon')) {
    window.__bench.marker = performance.now();
  }
}).observe(document, { childList: true, subtree: true });
"""


@dataclass(frozen=True)
class PageRun:
    first_marker_s: float
    longest_task_ms: float
    dom_elements: int
    bytes_total: int
    bytes_api: int
    data_urls: tuple[str, ...]


@dataclass
class Size:
    n: int
    page: list[PageRun]
    first_load: list[float]
    floor_whole: list[float]
    floor_whole_bytes: int
    bbox_pins: int
    ours_rps: list[float]
    floor_rps: list[float]
    revalidated_rps: list[float]
    uncached_rps: list[float]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.map_view", description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[20_000, 100_000], help="pins")
    parser.add_argument("--k", type=int, default=3, help="runs of each; the median counts")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one req/s run")
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args(argv)
    sizes = [_measure(n, args.k, args.seconds) for n in args.n]
    table = _table(sizes, args.k)
    print(table)
    if not args.no_readme:
        write_section("map", table)


def _measure(n: int, k: int, seconds: float) -> Size:
    with tempfile.TemporaryDirectory(prefix="bench-map-", dir=Path.cwd()) as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        perimeter = _fill(folder / "geoapp.sqlite", n)
        floor_db = _floor_database(folder)
        print(f"{n} pins and the floor built in {time.perf_counter() - started:.1f} s", flush=True)
        bbox, inside = _bbox_with(folder / "geoapp.sqlite", TARGET_PINS)
        # A second server on the same file keeps no views: what one computed view costs.
        uncached = ServerProcess(folder, env={"GEOAPP_MAP_CACHE_ENTRIES": "0"})
        with ServerProcess(folder) as ours, uncached, _floor(floor_db) as floor:
            size = Size(n, [], [], [], 0, inside, [], [], [], [])
            whole = ",".join(map(str, perimeter.bounds))
            floor_whole = f"{floor}/items?bbox={whole}&limit={n * 2}"
            size.floor_whole_bytes = len(httpx.get(floor_whole, timeout=120).content)
            ours_bbox = f"/api/consultations/{SLUG}/map?bbox={bbox}&zoom=18"
            floor_bbox = f"/items?bbox={bbox}&limit={TARGET_PINS * 2}"
            _check_same_pins(ours.url + ours_bbox, floor + floor_bbox)
            for run in range(k):
                page = _page(ours.url)
                size.page.append(page)
                # Interleaved, and in turn first: a busy machine weighs on both alike.
                pair: list[tuple[list[float], Callable[[], float]]] = [
                    (size.first_load, lambda p=page: _fetch_all(ours.url, p.data_urls)),
                    (size.floor_whole, lambda: _fetch_all("", (floor_whole,))),
                ]
                for into, task in pair if run % 2 == 0 else reversed(pair):
                    into.append(task())
                rates: list[tuple[list[float], str, str, dict[str, str]]] = [
                    (size.ours_rps, ours.url, ours_bbox, {"Accept-Encoding": "gzip"}),
                    (size.floor_rps, floor, floor_bbox, {}),
                    (size.uncached_rps, uncached.url, ours_bbox, {"Accept-Encoding": "gzip"}),
                ]
                for into, base, path, headers in rates if run % 2 == 0 else reversed(rates):
                    into.append(_rate(base, path, headers, seconds))
                tag = httpx.get(ours.url + ours_bbox).headers["etag"]
                size.revalidated_rps.append(
                    _rate(ours.url, ours_bbox, {"If-None-Match": tag}, seconds)
                )
                print(
                    f"  run {run + 1}/{k}: first marker {page.first_marker_s:.2f} s, longest "
                    f"task {page.longest_task_ms:.0f} ms, {page.bytes_total / 1e6:.2f} MB; "
                    f"first data {size.first_load[-1]:.3f} s vs floor {size.floor_whole[-1]:.3f} s;"
                    f" bbox {size.ours_rps[-1]:.0f} vs floor {size.floor_rps[-1]:.0f} req/s",
                    flush=True,
                )
        return size


def _fill(database: Path, n: int) -> shapely.geometry.base.BaseGeometry:
    """The demo data plus `n` published pins at random points inside the perimeter."""
    store = open_store(f"sqlite:///{database}")
    try:
        demo.seed(store, bundled("heeren-werve"))
        consultation = store.get_consultation(SLUG)
        assert consultation is not None
        area = shapely.geometry.shape(consultation.perimeter)
        min_lon, min_lat, max_lon, max_lat = area.bounds
        rng = random.Random(14)
        now = datetime.now(UTC)
        categories = [c.key for c in consultation.categories]
        made = 0
        while made < n:
            batch = []
            while len(batch) < min(BATCH, n - made):
                lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
                if not area.contains(shapely.geometry.Point(lon, lat)):
                    continue
                batch.append(
                    Contribution(
                        id=str(uuid.uuid4()),
                        consultation_id=consultation.id,
                        geometry={"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
                        category=rng.choice(categories),
                        text=rng.choice(TEXTS),
                        author_name=rng.choice((None, "Erika", "Jörg")),
                        status=Status.PUBLISHED,
                        support_count=rng.randrange(20),
                        created_at=now - timedelta(seconds=made + len(batch)),
                        updated_at=now,
                    )
                )
            store.add_contributions(batch, [])
            made += len(batch)
        return area
    finally:
        store.close()


def _floor_database(folder: Path) -> Path:
    """The floor's database on the same published points (its own GPKG → SQLite build)."""
    store = open_store(f"sqlite:///{folder / 'geoapp.sqlite'}")
    try:
        consultation = store.get_consultation(SLUG)
        assert consultation is not None
        pins = [
            c
            for c in store.iter_contributions(ContributionQuery(consultation_id=consultation.id))
            if c.geometry is not None
        ]
    finally:
        store.close()
    frame = geopandas.GeoDataFrame(
        {
            "id": range(1, len(pins) + 1),
            "category": [p.category for p in pins],
            "text": [p.text for p in pins],
            "support_count": [p.support_count for p in pins],
        },
        geometry=[shapely.geometry.shape(p.geometry) for p in pins],
        crs="EPSG:4326",
    )
    frame.to_file(folder / "floor.gpkg")
    target = folder / "floor.sqlite"
    subprocess.run(
        [sys.executable, "floor_app.py", "build", str(folder / "floor.gpkg"), str(target)],
        cwd=floors_dir(),
        check=True,
    )
    return target


def _bbox_with(database: Path, pins: int) -> tuple[str, int]:
    """A square bbox around the perimeter's centre holding about `pins` published pins."""
    con = sqlite3.connect(database)
    try:
        lon, lat = con.execute(
            "SELECT avg(min_lon), avg(min_lat) FROM contributions WHERE min_lon IS NOT NULL"
        ).fetchone()

        def count(half: float) -> int:
            return con.execute(
                "SELECT count(*) FROM contributions WHERE status = 'published' "
                "AND min_lon BETWEEN ? AND ? AND min_lat BETWEEN ? AND ?",
                (lon - half, lon + half, lat - half * 0.62, lat + half * 0.62),
            ).fetchone()[0]

        low, high = 0.0, 0.05
        for _ in range(30):
            middle = (low + high) / 2
            low, high = (middle, high) if count(middle) < pins else (low, middle)
        box = BBox(lon - high, lat - high * 0.62, lon + high, lat + high * 0.62)
        return f"{box.min_lon},{box.min_lat},{box.max_lon},{box.max_lat}", count(high)
    finally:
        con.close()


@contextmanager
def _floor(database: Path) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "floor_app:app", "--port", str(port)]
    command += ["--host", "127.0.0.1", "--no-access-log", "--log-level", "warning"]
    process = subprocess.Popen(
        command, cwd=floors_dir(), env={**os.environ, "FLOOR_DB": str(database)}
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(f"{url}/docs", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _check_same_pins(ours: str, floor: str) -> None:
    """Both answer the bbox with about the same pins (else the comparison is unfair).

    The floor's R*Tree compares 32-bit floats rounded outwards (about 0.4 m here), so it adds
    pins from the edge of the box; ours tests the exact bounds after the R*Tree.
    """
    mine = httpx.get(ours, timeout=60).json()
    theirs = httpx.get(floor, timeout=60).json()
    assert mine["kind"] == "pins", "the ~500-pin view should be answered with pins"
    assert abs(len(mine["features"]) - len(theirs["features"])) <= len(theirs["features"]) / 20, (
        len(mine["features"]),
        len(theirs["features"]),
    )


def _page(base: str) -> PageRun:
    """One first load of the resident page in a fresh headless Chromium context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            own = urlsplit(base).netloc
            context.route(
                "**/*",
                lambda route, _req: (
                    route.continue_()
                    if urlsplit(route.request.url).netloc == own
                    else route.abort()
                ),
            )
            context.add_init_script(MEASURE)
            page = context.new_page()
            received: dict[str, int] = {}
            api: list[str] = []
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            urls: dict[str, str] = {}
            cdp.on(
                "Network.requestWillBeSent",
                lambda e: urls.update({e["requestId"]: e["request"]["url"]}),
            )
            cdp.on(
                "Network.loadingFinished",
                lambda e: received.update({e["requestId"]: int(e["encodedDataLength"])}),
            )
            page.goto(f"{base}/?c={SLUG}")
            page.wait_for_function("() => window.__bench.marker !== undefined", timeout=120_000)
            page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=120_000)
            page.wait_for_timeout(1500)  # long tasks after the first marker count too
            measured = page.evaluate(
                "() => ({ ...window.__bench, elements: document.getElementsByTagName('*').length })"
            )
            api_bytes = 0
            for request_id, size in received.items():
                url = urls.get(request_id, "")
                if "/api/" in url:
                    api_bytes += size
                if f"/api/consultations/{SLUG}/map" in url or (
                    f"/api/consultations/{SLUG}/contributions" in url
                ):
                    api.append(url)
            return PageRun(
                first_marker_s=measured["marker"] / 1000,
                longest_task_ms=measured["longest"],
                dom_elements=measured["elements"],
                bytes_total=sum(received.values()),
                bytes_api=api_bytes,
                data_urls=tuple(dict.fromkeys(api)),
            )
        finally:
            browser.close()


def _fetch_all(base: str, urls: Sequence[str]) -> float:
    """Seconds to fetch `urls` one after the other, compressed where the server compresses."""
    started = time.perf_counter()
    with httpx.Client(timeout=120, headers={"Accept-Encoding": "gzip"}) as client:
        for url in urls:
            client.get(url if url.startswith("http") else base + url).raise_for_status()
    return time.perf_counter() - started


def _rate(base: str, path: str, headers: dict[str, str], seconds: float) -> float:
    """Requests per second with 8 keep-alive connections for `seconds`."""
    processes, threads = CONNECTIONS
    host = urlsplit(base)
    job = (host.hostname, host.port, path, headers, seconds, threads)
    with Pool(processes) as pool:
        counts = pool.map(_hammer, [job] * processes)
    return sum(counts) / seconds


def _hammer(job: tuple[str, int, str, dict[str, str], float, int]) -> int:
    host, port, path, headers, seconds, threads = job
    done = [0] * threads
    deadline = time.perf_counter() + seconds

    def loop(index: int) -> None:
        connection = HTTPConnection(host, port, timeout=60)
        while time.perf_counter() < deadline:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status not in (200, 304):
                raise RuntimeError(f"{path}: {response.status}")
            done[index] += 1
        connection.close()

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done)


def _table(sizes: list[Size], k: int) -> str:
    lines = [
        "## Map: resident page, first load, bbox reads",
        "",
        "`python -m bench.map_view` (issue 14): N published pins inside the perimeter of",
        "`ortsmitte`, our service and the read floor (`../shared/bench/floor_app.py`) on the same",
        "points, one uvicorn worker each, runs interleaved; medians of "
        f"k = {k}. Chromium loads `/?c=ortsmitte` at 1280 × 900 px with tiles blocked.",
        "",
        "| what | N | ours | floor | ratio | goal |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for s in sizes:
        first = median([p.first_marker_s for p in s.page])
        longest = median([p.longest_task_ms for p in s.page])
        elements = median([p.dom_elements for p in s.page])
        total = median([p.bytes_total for p in s.page])
        api = median([p.bytes_api for p in s.page])
        load, floor = median(s.first_load), median(s.floor_whole)
        ours_rps, floor_rps = median(s.ours_rps), median(s.floor_rps)
        lines += [
            f"| first marker drawn (longest task; DOM elements) | {s.n:,} | {first:.2f} s "
            f"({longest:.0f} ms; {elements:,.0f}) | – | – | < 1.5 s at 100k, no task > 200 ms |",
            f"| first load over the wire (of it API) | {s.n:,} | {total / 1e6:.2f} MB "
            f"({api / 1e3:.0f} kB) | {s.floor_whole_bytes / 1e6:.1f} MB | "
            f"{total / s.floor_whole_bytes:.3f} | < 1 MB |",
            f"| first load's data: map view + list page vs whole perimeter | {s.n:,} | "
            f"{load:.3f} s | {floor:.3f} s | {load / floor:.2f} | ≤ 1 × floor |",
            f"| bbox with {s.bbox_pins} pins, req/s (gzip) | {s.n:,} | {ours_rps:.0f} | "
            f"{floor_rps:.0f} | {ours_rps / floor_rps:.2f} | ≥ 1 × floor |",
            f"| same bbox, the worker's view cache off, req/s (gzip) | {s.n:,} | "
            f"{median(s.uncached_rps):.0f} | {floor_rps:.0f} | "
            f"{median(s.uncached_rps) / floor_rps:.2f} | ≥ 1 × floor |",
            f"| same bbox revalidated (If-None-Match → 304), req/s | {s.n:,} | "
            f"{median(s.revalidated_rps):.0f} | {floor_rps:.0f} | "
            f"{median(s.revalidated_rps) / floor_rps:.2f} | – |",
        ]
    lines += [
        "",
        "Runs: "
        + "; ".join(
            f"N = {s.n:,}: first marker "
            + ", ".join(f"{p.first_marker_s:.2f}" for p in s.page)
            + " s; bbox req/s "
            + ", ".join(f"{a:.0f}/{b:.0f}" for a, b in zip(s.ours_rps, s.floor_rps, strict=True))
            for s in sizes
        )
        + f" (load average {os.getloadavg()[0]:.1f} at the end).",
        "",
        "Data requests of the first load: "
        + json.dumps(
            [urlsplit(u).path + "?" + urlsplit(u).query for u in sizes[-1].page[-1].data_urls]
        ),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
