"""A real uvicorn server on a free loopback port, for HTTP and browser tests: in a thread, or
in a process of its own that can be killed like a crashing server (`ServerProcess`)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

# The app as `geoapp serve` runs it: Settings from GEOAPP_* variables, built by the factory.
UVICORN_FACTORY = ("-m", "uvicorn", "--factory", "geoapp.app:create_app")


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run `app` until the block ends; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def open_like_the_page(client: httpx.Client, api: dict[str, Any]) -> dict[str, Any]:
    """What the page does before sending: get the participant token and the form-start token,
    where the server (its OpenAPI document `api`) issues them; returns the fields the form
    adds to every pin."""
    if "/api/participant" in api["paths"]:
        assert client.post("/api/participant").status_code in (200, 201)
    if "/api/form-start" in api["paths"]:
        return {"form_token": client.get("/api/form-start").json()["token"]}
    return {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """The app in a uvicorn process of its own on `data_dir`, which a test may kill -9."""

    def __init__(
        self,
        data_dir: Path,
        python_args: Sequence[str] = UVICORN_FACTORY,
        env: Mapping[str, str] | None = None,
        ready_path: str = "/api/config",
    ) -> None:
        self.data_dir = data_dir
        self.ready_path = ready_path
        self.python_args = list(python_args)
        self.env = dict(env or {})
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> str:
        """Start the server and wait until it answers; returns its base URL."""
        port = free_port()
        env = {
            **os.environ,
            "GEOAPP_DATA_DIR": str(self.data_dir),
            "GEOAPP_SEED_DEMO": "false",
            **self.env,
        }
        log = (self.data_dir / "server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, *self.python_args, "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.data_dir / 'server.log'}")
            try:
                if httpx.get(f"{self.url}{self.ready_path}", timeout=2).status_code == 200:
                    return self.url
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("server did not start")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as when the machine's process dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), ending the process whatever happens."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> "ServerProcess":
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
