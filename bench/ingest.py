"""Ingest benchmark: pins per second with SQLite synchronous=FULL against NORMAL.

`python -m bench.ingest [--writers 8] [--pins 600] [--k 5]` starts the app in a uvicorn process
on a fresh SQLite file (in a temporary folder beside the current directory, on the same disk),
lets N concurrent clients post pins to the demo consultation as the page does, and prints per
mode the median over k runs of pins/s and of the request latency (median and 90th percentile),
and the ratio FULL/NORMAL. Runs of the two modes alternate, so that a busy machine weighs on
both alike.
"""

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import shapely.geometry

from geoapp.domain import Consultation
from geoapp.paths import bundled
from geoapp.services import demo
from geoapp.store import open_store
from tests.live_server import ServerProcess, open_like_the_page

SLUG = "ortsmitte"
MODES = ("NORMAL", "FULL")
# The bench floods on purpose: rate limits, intake cap and bot check stay out of its way.
UNLIMITED = {
    "GEOAPP_RATE_PINS_PER_PARTICIPANT": "1000000",
    "GEOAPP_RATE_PINS_PER_NETWORK": "1000000",
    "GEOAPP_RATE_PARTICIPANTS_PER_NETWORK": "1000000",
    "GEOAPP_INTAKE_DAILY_CAP": "1000000",
    "GEOAPP_FORM_MIN_SECONDS": "0",
}


@dataclass(frozen=True)
class Run:
    pins_per_second: float
    median_latency_ms: float
    p90_latency_ms: float


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--writers", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--pins", type=int, default=600, help="pins per run (default 600)")
    parser.add_argument("--k", type=int, default=5, help="runs per mode; the median counts")
    args = parser.parse_args()
    runs: dict[str, list[Run]] = {mode: [] for mode in MODES}
    for index in range(args.k):
        for mode in MODES:
            run = _run(mode, args.writers, args.pins)
            runs[mode].append(run)
            print(
                f"run {index + 1}/{args.k} {mode:6}: {run.pins_per_second:7.1f} pins/s, "
                f"latency median {run.median_latency_ms:6.1f} ms, p90 {run.p90_latency_ms:6.1f} ms"
            )
    print(f"\n{args.writers} writers, {args.pins} pins per run, median of {args.k} runs:")
    medians = {}
    for mode in MODES:
        rate = statistics.median(r.pins_per_second for r in runs[mode])
        latency = statistics.median(r.median_latency_ms for r in runs[mode])
        p90 = statistics.median(r.p90_latency_ms for r in runs[mode])
        medians[mode] = (rate, latency)
        print(
            f"  synchronous={mode:6}: {rate:7.1f} pins/s, "
            f"latency median {latency:6.1f} ms, p90 {p90:6.1f} ms"
        )
    ratio = medians["FULL"][0] / medians["NORMAL"][0]
    print(f"  FULL/NORMAL pins/s: {ratio:.2f}")


def _run(mode: str, writers: int, pins: int) -> Run:
    with tempfile.TemporaryDirectory(prefix="bench-ingest-", dir=Path.cwd()) as scratch:
        folder = Path(scratch)
        store = open_store(f"sqlite:///{folder / 'geoapp.sqlite'}")
        try:
            demo.seed(store, bundled("heeren-werve"))
            consultation = store.get_consultation(SLUG)
            assert consultation is not None
        finally:
            store.close()
        pin = pin_for(consultation)
        server = ServerProcess(
            folder,
            python_args=("-m", "bench.serve", "--factory", "geoapp.app:create_app"),
            env={**UNLIMITED, "GEOAPP_BENCH_SYNCHRONOUS": mode},
        )
        with server:
            return ingest(
                server.url, f"/api/consultations/{SLUG}/contributions", pin, writers, pins
            )


def pin_for(consultation: Consultation) -> dict:
    """The body of a pin the page would send to `consultation`: inside its perimeter, its
    first topic."""
    point = shapely.geometry.shape(consultation.perimeter).representative_point()
    return {
        "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
        "category": consultation.categories[0].key,
        "consent": True,
    }


def ingest(url: str, path: str, pin: dict, writers: int, pins: int) -> Run:
    """N concurrent clients send `pins` pins to `path` as the page does; every one must be
    acknowledged (2xx), else RuntimeError."""
    api = httpx.get(f"{url}/openapi.json").json()
    clients = [httpx.Client(base_url=url, timeout=120) for _ in range(writers)]
    forms = [open_like_the_page(client, api) for client in clients]
    remaining = iter(range(pins))
    lock = threading.Lock()
    latencies: list[float] = []
    start = threading.Barrier(writers + 1)

    def write(client: httpx.Client, form: dict) -> None:
        start.wait()
        while True:
            with lock:
                number = next(remaining, None)
            if number is None:
                return
            sent = time.perf_counter()
            response = client.post(
                path,
                json={**pin, **form, "text": f"Bench-Beitrag {number}"},
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
            took = time.perf_counter() - sent
            response.raise_for_status()
            with lock:
                latencies.append(took)

    threads = [
        threading.Thread(target=write, args=(client, form))
        for client, form in zip(clients, forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    for client in clients:
        client.close()
    if len(latencies) != pins:
        raise RuntimeError(f"only {len(latencies)} of {pins} pins were stored")
    deciles = statistics.quantiles(latencies, n=10)
    return Run(pins / elapsed, statistics.median(latencies) * 1000, deciles[-1] * 1000)


if __name__ == "__main__":
    main()
