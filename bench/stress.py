"""Stress: the server's peak memory under hostile uploads and sign-ins, with public reads going on.

`python -m bench.stress` starts the app under uvicorn on a loopback port (one process, a fresh
SQLite database with the demo consultations) for each scenario, then runs it:

- uploads: 8 concurrent 1-bit PNG bombs (8000 × 8000 px), then 8 concurrent uploads of the
  largest images the limit still accepts (a 1-bit PNG of 7200 × 7200 px, an RGB PNG of
  5900 × 4400 px, a HEIC of 4700 × 3170 px);
- sign-ins: 40 concurrent sign-ins with random usernames and passwords.

Meanwhile one client keeps reading the public map (published pins of a consultation). It prints
the server's peak RSS (VmHWM from /proc) and the median latency of those reads, idle and under
load. `--unbounded` lifts the limits of issue 10 for comparison. Not a test: it measures.
"""

import argparse
import io
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pillow_heif
from PIL import Image

LIMIT_MB = 600
PUBLIC_READ = "/api/consultations/ortsmitte/contributions"
MAX_READS = 2000  # the reader stops after this many requests in any phase
UNBOUNDED = {
    "GEOAPP_MAX_PHOTO_DECODED_BYTES": str(2**40),
    "GEOAPP_PHOTO_DECODES_AT_ONCE": "64",
    "GEOAPP_SIGNIN_HASHES_AT_ONCE": "64",
    "GEOAPP_SIGNIN_NETWORK_FREE_FAILURES": "1000000",
}


@dataclass
class Server:
    url: str
    pid: int

    def status_kb(self, field_name: str) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
        raise LookupError(field_name)


@dataclass
class Phase:
    name: str
    statuses: Counter[int] = field(default_factory=Counter)
    read_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stress", description=__doc__)
    parser.add_argument("--unbounded", action="store_true", help="lift the limits (comparison)")
    args = parser.parse_args()
    env = UNBOUNDED if args.unbounded else {}
    print("making the images …", flush=True)
    bomb = _png(Image.new("1", (8000, 8000)))
    largest = [
        _png(Image.new("1", (7200, 7200))),
        _png(_gradient((5900, 4400))),
        _heic(_gradient((4700, 3170))),
    ]
    results = []
    with _server(env) as server:
        idle = Phase("idle reads")
        _read_while(server, idle, lambda: time.sleep(3))
        results.append((idle, server.status_kb("VmHWM")))
        bombs = Phase("8 × 1-bit PNG bomb 8000×8000")
        _read_while(server, bombs, lambda: _concurrently(server, bombs, [bomb] * 8, _upload))
        accepted = Phase("8 × largest accepted image")
        images = [largest[i % len(largest)] for i in range(8)]
        _read_while(server, accepted, lambda: _concurrently(server, accepted, images, _upload))
        results.append((bombs, None))
        results.append((accepted, server.status_kb("VmHWM")))
    with _server(env) as server:
        signins = Phase("40 × sign-in, random usernames")
        names = [secrets.token_hex(6) for _ in range(40)]
        _read_while(server, signins, lambda: _concurrently(server, signins, names, _sign_in))
        results.append((signins, server.status_kb("VmHWM")))
    _report(results, args.unbounded)


@contextmanager
def _server(extra_env: dict[str, str]) -> Iterator[Server]:
    with tempfile.TemporaryDirectory() as data, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        env = {**os.environ, "GEOAPP_DATA_DIR": data, "GEOAPP_SEED_DEMO": "true", **extra_env}
        command = [sys.executable, "-m", "uvicorn", "geoapp.app:create_app", "--factory"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
        process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        server = Server(f"http://127.0.0.1:{port}", process.pid)
        try:
            _wait_until_up(server, process)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_up(server: Server, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError("the server did not start")
        try:
            if httpx.get(server.url + "/api/config", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not answer within a minute")


def _read_while(server: Server, phase: Phase, work: Callable[[], None]) -> None:
    """Run `work` while one client keeps reading the public map; latencies go into `phase`."""
    done = threading.Event()

    def reader() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            for _ in range(MAX_READS):
                if done.is_set():
                    return
                started = time.perf_counter()
                client.get(PUBLIC_READ).raise_for_status()
                phase.read_ms.append((time.perf_counter() - started) * 1000)
                time.sleep(0.05)

    thread = threading.Thread(target=reader)
    started = time.perf_counter()
    thread.start()
    try:
        work()
    finally:
        phase.seconds = time.perf_counter() - started
        done.set()
        thread.join()


def _concurrently(
    server: Server, phase: Phase, items: list, send: Callable[[httpx.Client, object], int]
) -> None:
    def one(item: object) -> int:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            return send(client, item)

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        phase.statuses.update(pool.map(one, items))


def _upload(client: httpx.Client, data: object) -> int:
    files = {"file": ("bild.png", data, "image/png")}
    return client.post("/api/photos", files=files).status_code


def _sign_in(client: httpx.Client, username: object) -> int:
    body = {"username": username, "password": secrets.token_urlsafe(16)}
    return client.post("/api/planner/session", json=body).status_code


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _heic(image: Image.Image) -> bytes:
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    image.save(out, "HEIF", quality=50)
    return out.getvalue()


def _gradient(size: tuple[int, int]) -> Image.Image:
    # Smooth content compresses well, so the file stays under the 10 MB upload limit.
    return Image.linear_gradient("L").resize(size).convert("RGB")


def _report(results: list[tuple[Phase, int | None]], unbounded: bool) -> None:
    print()
    print("limits lifted (--unbounded)" if unbounded else "limits as configured by default")
    print("| phase | answers | s | median public read ms | reads | peak RSS MB (VmHWM) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for phase, peak_kb in results:
        answers = ", ".join(f"{n}× {s}" for s, n in sorted(phase.statuses.items())) or "–"
        median = statistics.median(phase.read_ms) if phase.read_ms else float("nan")
        peak = f"{peak_kb / 1024:.0f}" if peak_kb else "(with the next row)"
        print(
            f"| {phase.name} | {answers} | {phase.seconds:.1f} | {median:.0f} "
            f"| {len(phase.read_ms)} | {peak} |"
        )
    peaks = [kb / 1024 for _phase, kb in results if kb]
    verdict = "under" if max(peaks) < LIMIT_MB else "OVER"
    print(f"\nhighest peak {max(peaks):.0f} MB: {verdict} {LIMIT_MB} MB")


if __name__ == "__main__":
    main()
