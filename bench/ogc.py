"""OGC API items benchmark: our /ogc against the read floor and pygeoapi, on the same points.

`python -m bench.ogc [--n 100000] [--k 3] [--pygeoapi-venv PATH]` fills a temporary SQLite
database with N published pins in the demo consultation `ortsmitte`, builds the floor's
database (/work/shared/bench/floor_app.py) and a GeoPackage of the same points for pygeoapi,
starts each under uvicorn (one worker) and times, interleaved, round after round:

- the first page of 1,000 features (median of 10 requests per round);
- a walk through every page of 1,000 following `next` links (pygeoapi pages by OFFSET). The
  floor cannot page: its figure is one request for all N points, the least any walk can cost.

pygeoapi is run from its own virtual environment (never a dependency of geoapp) when one is
given; medians over the k rounds go to bench/README.md (section "ogc").
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

import geopandas as gpd
import httpx
import shapely

from bench.fill import SLUG, fill, floors_dir
from bench.report import median, write_section
from geoapp.config import Settings
from geoapp.domain import ContributionQuery
from geoapp.store import open_store

PAGE = 1000
FIRST_PAGE_REQUESTS = 10


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ogc", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="pins (default 100000)")
    parser.add_argument("--k", type=int, default=3, help="rounds; the median counts")
    parser.add_argument(
        "--pygeoapi-venv", type=Path, help="a virtual environment with pygeoapi installed"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        bbox = _prepare(folder, args.n)
        with ExitStack() as servers:
            ours = servers.enter_context(_ours(folder))
            floor = servers.enter_context(_floor(folder))
            targets: dict[str, Target] = {
                "geoapp /ogc": Target(
                    first=f"{ours}/ogc/collections/{SLUG}/items?limit={PAGE}",
                    walk=lambda: _walk(f"{ours}/ogc/collections/{SLUG}/items?limit={PAGE}"),
                ),
                "geoapp /ogc, crs=EPSG:25832": Target(
                    first=f"{ours}/ogc/collections/{SLUG}/items?limit={PAGE}&crs=EPSG:25832",
                    walk=lambda: _walk(
                        f"{ours}/ogc/collections/{SLUG}/items?limit={PAGE}&crs=EPSG:25832"
                    ),
                ),
                "floor (bbox read, no paging)": Target(
                    first=f"{floor}/items?bbox={bbox}&limit={PAGE}",
                    walk=lambda: _walk(f"{floor}/items?bbox={bbox}&limit={args.n + 1000}"),
                ),
            }
            if args.pygeoapi_venv:
                pygeoapi = servers.enter_context(_pygeoapi(folder, args.pygeoapi_venv))
                targets["pygeoapi (SQLiteGPKG)"] = Target(
                    first=f"{pygeoapi}/collections/pins/items?limit={PAGE}&f=json",
                    walk=lambda: _walk(f"{pygeoapi}/collections/pins/items?limit={PAGE}&f=json"),
                )
            _report(_measure(targets, args.k), args.n, args.k)


class Target:
    def __init__(self, first: str, walk: Callable[[], tuple[float, int]]) -> None:
        self.first = first
        self.walk = walk
        self.firsts: list[float] = []
        self.walks: list[float] = []
        self.features = 0


def _prepare(folder: Path, n: int) -> str:
    """Our database with n pins, the floor's database and a GeoPackage of the same points."""
    settings = Settings(data_dir=folder / "app")
    store = open_store(settings.effective_database_url)
    try:
        seconds = fill(store, n)
        consultation = store.get_consultation(SLUG)
        assert consultation is not None
        rows = list(store.iter_contributions(ContributionQuery(consultation_id=consultation.id)))
    finally:
        store.close()
    print(f"{len(rows)} published pins written in {seconds:.1f} s", flush=True)
    frame = gpd.GeoDataFrame(
        {
            "id": range(1, len(rows) + 1),
            "category": [r.category for r in rows],
            "text": [r.text for r in rows],
            "support_count": [r.support_count for r in rows],
        },
        geometry=shapely.points([r.geometry["coordinates"] for r in rows]),
        crs="EPSG:4326",
    )
    frame.to_file(folder / "pins.gpkg", layer="pins")
    subprocess.run(
        [
            sys.executable,
            "floor_app.py",
            "build",
            str(folder / "pins.gpkg"),
            str(folder / "floor.db"),
        ],
        cwd=floors_dir(),
        check=True,
    )
    min_x, min_y, max_x, max_y = frame.total_bounds
    return f"{min_x},{min_y},{max_x},{max_y}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _uvicorn(python: str, app: list[str], env: dict[str, str], port: int, probe: str):
    """`python -m uvicorn *app` on `port` until the block ends; yields its base URL."""
    url = f"http://127.0.0.1:{port}"
    command = [python, "-m", "uvicorn", *app, "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--no-access-log"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(1200):
            if process.poll() is not None:
                raise RuntimeError(f"{app} exited")
            try:
                if httpx.get(url + probe, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _ours(folder: Path) -> AbstractContextManager[str]:
    env = {"GEOAPP_DATA_DIR": str(folder / "app"), "GEOAPP_SEED_DEMO": "false"}
    app = ["--factory", "geoapp.app:create_app"]
    return _uvicorn(sys.executable, app, env, _free_port(), "/ogc")


def _floor(folder: Path) -> AbstractContextManager[str]:
    env = {"FLOOR_DB": str(folder / "floor.db")}
    app = ["floor_app:app", "--app-dir", str(floors_dir())]
    return _uvicorn(sys.executable, app, env, _free_port(), "/items?bbox=0,0,0,0")


PYGEOAPI_CONFIG = """\
server:
  bind: {{host: 127.0.0.1, port: 5000}}
  url: {url}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: {page}, max_items: {page}}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OSM}}
logging: {{level: ERROR}}
metadata:
  identification:
    title: bench
    description: bench
    keywords: [bench]
    keywords_type: theme
    terms_of_service: none
    url: {url}
  license: {{name: none, url: {url}}}
  provider: {{name: bench, url: {url}}}
  contact: {{name: bench, position: bench, address: bench, city: bench, stateorprovince: bench,
             postalcode: '0', country: DE, phone: '0', fax: '0', email: bench@example.org,
             url: {url}, hours: always, instructions: none, role: pointOfContact}}
resources:
  pins:
    type: collection
    title: pins
    description: pins
    keywords: [pins]
    extents:
      spatial: {{bbox: [-180, -90, 180, 90], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}
    providers:
      - type: feature
        name: SQLiteGPKG
        data: {data}
        id_field: id
        table: pins
"""


def _pygeoapi(folder: Path, venv: Path) -> AbstractContextManager[str]:
    port = _free_port()
    config = folder / "pygeoapi.yml"
    config.write_text(
        PYGEOAPI_CONFIG.format(
            url=f"http://127.0.0.1:{port}", page=PAGE, data=folder / "pins.gpkg"
        ),
        encoding="utf-8",
    )
    openapi = folder / "pygeoapi-openapi.yml"
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run(
        [str(venv / "bin" / "pygeoapi"), "openapi", "generate", str(config), "-of", str(openapi)],
        check=True,
        env={**os.environ, **env},
    )
    python = str(venv / "bin" / "python")
    return _uvicorn(python, ["pygeoapi.starlette_app:APP"], env, port, "/collections/pins?f=json")


def _walk(url: str) -> tuple[float, int]:
    """Seconds to fetch `url` and every page its `next` links lead to; the features got."""
    started = time.perf_counter()
    features = 0
    with httpx.Client(timeout=600) as client:
        while url:
            body = client.get(url).json()
            features += len(body["features"])
            url = next((k["href"] for k in body.get("links", []) if k["rel"] == "next"), "")
    return time.perf_counter() - started, features


def _measure(targets: dict[str, Target], k: int) -> dict[str, Target]:
    with httpx.Client(timeout=600) as client:
        for target in targets.values():  # warm-up: imports, caches, the database's pages
            for _ in range(3):
                client.get(target.first)
        for round_ in range(k):
            for name, target in targets.items():
                for _ in range(FIRST_PAGE_REQUESTS):
                    started = time.perf_counter()
                    response = client.get(target.first)
                    target.firsts.append(time.perf_counter() - started)
                    assert len(response.json()["features"]) == PAGE, name
                seconds, target.features = target.walk()
                target.walks.append(seconds)
                print(
                    f"round {round_ + 1}: {name}: first page "
                    f"{median(target.firsts[-FIRST_PAGE_REQUESTS:]) * 1000:.0f} ms, "
                    f"walk {seconds:.1f} s ({target.features} features)",
                    flush=True,
                )
    return targets


def _report(targets: dict[str, Target], n: int, k: int) -> None:
    floor = targets["floor (bbox read, no paging)"]
    floor_first, floor_walk = median(floor.firsts), median(floor.walks)
    lines = [
        "## OGC API – Features: items at scale",
        "",
        f"`python -m bench.ogc --n {n} --k {k}` ({n:,} published pins in `ortsmitte`, pages of "
        f"{PAGE:,}; one uvicorn worker each; interleaved rounds, medians; first page: "
        f"{FIRST_PAGE_REQUESTS} requests per round). The floor cannot page: its walk is one "
        "request for every point.",
        "",
        "| server | first page ms | × floor | walk all pages s | × floor | features |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, target in targets.items():
        first, walk = median(target.firsts), median(target.walks)
        lines.append(
            f"| {name} | {first * 1000:.0f} | {first / floor_first:.1f} | {walk:.1f} | "
            f"{walk / floor_walk:.1f} | {target.features:,} |"
        )
    markdown = "\n".join(lines)
    print("\n" + markdown)
    write_section("ogc", markdown)


if __name__ == "__main__":
    main()
