"""`geoapp serve` as it runs in production: a real process, signals, proxy headers."""

import json
import signal
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from geoapp.domain import ContributionQuery, Status
from geoapp.store import open_store
from tests.api.test_contributions import body
from tests.factories import make_consultation
from tests.live_server import ServerProcess, open_like_the_page

SERVE = ("-m", "geoapp", "serve")
PINS = "/api/consultations/test/contributions"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'geoapp.sqlite'}"


def test_sigterm_lets_a_request_in_flight_finish(tmp_path: Path):
    store = open_store(sqlite_url(tmp_path))
    consultation = make_consultation(store)
    store.close()
    with ServerProcess(tmp_path, SERVE, env={"GEOAPP_FORM_MIN_SECONDS": "0"}) as server:
        with httpx.Client(base_url=server.url) as page:
            form = open_like_the_page(page, page.get("/openapi.json").json())
            cookies = "; ".join(f"{name}={value}" for name, value in page.cookies.items())
        payload = json.dumps(body(text="Angekommen trotz Neustart", **form)).encode()
        address = urlsplit(server.url)
        with socket.create_connection((address.hostname, address.port), timeout=30) as slow:
            # A slow client: headers and half the body, then the server is told to stop.
            slow.sendall(
                f"POST {PINS} HTTP/1.1\r\nHost: {address.netloc}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                f"Cookie: {cookies}\r\n\r\n".encode()
                + payload[: len(payload) // 2]
            )
            time.sleep(0.5)  # let the server start the request before the signal
            assert server.process is not None
            server.process.send_signal(signal.SIGTERM)
            _wait_until_refused(server.url)
            slow.sendall(payload[len(payload) // 2 :])
            answer = _read_response(slow)
        # uvicorn ends by raising the signal again once it has shut down cleanly.
        assert server.process.wait(timeout=30) == -signal.SIGTERM

    assert answer.startswith(b"HTTP/1.1 201"), answer[:200]
    store = open_store(sqlite_url(tmp_path))
    try:
        stored = store.list_contributions(
            ContributionQuery(consultation_id=consultation.id, statuses=list(Status))
        )
    finally:
        store.close()
    assert [c.text for c in stored] == ["Angekommen trotz Neustart"]


def test_forwarded_for_from_an_untrusted_peer_is_not_believed(tmp_path: Path):
    limits = {"GEOAPP_RATE_PARTICIPANTS_PER_NETWORK": "2"}
    with ServerProcess(tmp_path, SERVE, env=limits) as server:
        answers = [_new_participant(server.url, f"203.0.113.{n}") for n in range(3)]
    # Three "different" clients, all from this machine, which is no trusted proxy: one network.
    assert answers == [201, 201, 429]


def test_forwarded_for_from_a_trusted_proxy_names_the_client(tmp_path: Path):
    env = {"GEOAPP_RATE_PARTICIPANTS_PER_NETWORK": "2", "GEOAPP_TRUSTED_PROXIES": "127.0.0.1"}
    with ServerProcess(tmp_path, SERVE, env=env) as server:
        answers = [_new_participant(server.url, f"203.0.113.{n}") for n in range(3)]
        same_client = [_new_participant(server.url, "203.0.113.0") for _ in range(2)]
    assert answers == [201, 201, 201]
    assert same_client == [201, 429]  # 203.0.113.0 itself is held to the limit


def test_several_workers_start_on_a_new_database_without_racing(tmp_path: Path):
    # A fresh database and the demo: migrating and seeding happen once, before the workers.
    env = {"GEOAPP_SEED_DEMO": "true"}
    with ServerProcess(tmp_path, (*SERVE, "--workers", "2"), env=env) as server:
        answers = [httpx.get(f"{server.url}/readyz").status_code for _ in range(20)]
        slugs = [c["slug"] for c in httpx.get(f"{server.url}/api/consultations").json()]
    assert set(answers) == {200}
    assert slugs and len(slugs) == len(set(slugs))
    log = (tmp_path / "server.log").read_text()
    assert "Application startup failed" not in log and "died" not in log


def _new_participant(url: str, forwarded_for: str) -> int:
    """A browser without cookies asks for a participant token, through a proxy's header."""
    response = httpx.post(f"{url}/api/participant", headers={"X-Forwarded-For": forwarded_for})
    return response.status_code


def _wait_until_refused(url: str) -> None:
    """Until the stopping server takes no new connection (its listening socket is closed)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/healthz", timeout=1)
        except httpx.TransportError:
            return
        time.sleep(0.05)
    raise AssertionError("the server kept taking new connections after SIGTERM")


def _read_response(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received
