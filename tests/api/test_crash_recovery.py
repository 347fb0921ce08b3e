"""kill -9 under 20 concurrent writers: every acknowledged pin is there afterwards, and a
retry of a send whose answer was lost is answered 201 and does not store the pin twice.

The server runs in a process of its own on a SQLite file. Writers post pins as the page does
(each its own browser: own cookie jar, so own participant; an Idempotency-Key per send). The
server is killed while requests are in flight, then started again on the same file, and every
send left without an answer is retried with its own key: it gets the first answer if the pin
was stored before the kill, or is stored now. No key is left half-claimed by the crash.
"""

import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from geoapp.domain import ContributionQuery, Status
from geoapp.store import open_store
from tests.api.test_contributions import body
from tests.factories import make_consultation
from tests.live_server import ServerProcess, open_like_the_page

WRITERS = 20
ACKNOWLEDGED_BEFORE_KILL = 300
PINS = "/api/consultations/test/contributions"
# This test floods on purpose: limits and the bot check stay out of its way.
UNLIMITED = {
    "GEOAPP_RATE_PINS_PER_PARTICIPANT": "1000000",
    "GEOAPP_RATE_PINS_PER_NETWORK": "1000000",
    "GEOAPP_RATE_PARTICIPANTS_PER_NETWORK": "1000000",
    "GEOAPP_INTAKE_DAILY_CAP": "1000000",
    "GEOAPP_FORM_MIN_SECONDS": "0",
}


@dataclass
class Unanswered:
    """A send whose answer never came: what a browser keeps to send it again."""

    key: str
    payload: dict[str, Any]
    cookies: dict[str, str]


@dataclass
class Sent:
    """What the writers know: pins answered with 201, and sends left without an answer."""

    acknowledged: dict[str, str] = field(default_factory=dict)  # text → id
    unanswered: dict[str, Unanswered] = field(default_factory=dict)  # text → the send
    lock: threading.Lock = field(default_factory=threading.Lock)
    enough: threading.Event = field(default_factory=threading.Event)
    # Every writer has opened its page before any posts, so the kill finds them all sending.
    opened: threading.Barrier = field(default_factory=lambda: threading.Barrier(WRITERS))


def write(url: str, writer: int, sent: Sent, api: dict[str, Any]) -> None:
    """Post pins until the server is gone."""
    with httpx.Client(base_url=url, timeout=60) as client:
        form = open_like_the_page(client, api)
        sent.opened.wait(timeout=300)
        for number in range(1_000_000):
            text = f"Beitrag {writer}-{number}: mehr Bänke am Marktplatz"
            payload = body(text=text, **form)
            key = str(uuid.uuid4())
            try:
                response = client.post(PINS, json=payload, headers={"Idempotency-Key": key})
            except httpx.TransportError:
                with sent.lock:
                    sent.unanswered[text] = Unanswered(key, payload, dict(client.cookies))
                return
            assert response.status_code == 201, response.text
            with sent.lock:
                sent.acknowledged[text] = response.json()["id"]
                if len(sent.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL:
                    sent.enough.set()
    raise AssertionError("the server was never killed")


def stored_pins(data_dir: Path, consultation_id: str) -> list[tuple[str, str]]:
    """(text, id) of every pin in the database file, whatever its status."""
    store = open_store(f"sqlite:///{data_dir / 'geoapp.sqlite'}")
    try:
        every = ContributionQuery(consultation_id=consultation_id, statuses=list(Status))
        return [(c.text, c.id) for c in store.list_contributions(every)]
    finally:
        store.close()


def test_acknowledged_pins_survive_kill_9_and_retries_store_no_duplicate(tmp_path: Path):
    store = open_store(f"sqlite:///{tmp_path / 'geoapp.sqlite'}")
    consultation = make_consultation(store)
    store.close()

    server = ServerProcess(tmp_path, env=UNLIMITED)
    url = server.start()
    api = httpx.get(f"{url}/openapi.json").json()
    sent = Sent()
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            write(url, number, sent, api)
        except BaseException as error:
            errors.append(error)
            sent.opened.abort()
            sent.enough.set()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    try:
        for thread in threads:
            thread.start()
        # A generous bound only against a hang: the test waits for a count, not for a time.
        assert sent.enough.wait(timeout=600), "the writers did not get far enough"
        server.kill()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.kill()
    assert errors == []
    assert all(not thread.is_alive() for thread in threads)
    assert len(sent.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL
    # Each writer stopped at a send the kill left without an answer.
    assert len(sent.unanswered) == WRITERS

    with ServerProcess(tmp_path, env=UNLIMITED) as restarted:
        features = httpx.get(f"{restarted.url}{PINS}", timeout=60).json()["features"]
        missing = set(sent.acknowledged.values()) - {feature["id"] for feature in features}
        assert missing == set(), f"{len(missing)} acknowledged pins lost"

        for text, send in sent.unanswered.items():
            with httpx.Client(base_url=restarted.url, cookies=send.cookies, timeout=60) as browser:
                retry = browser.post(PINS, json=send.payload, headers={"Idempotency-Key": send.key})
            # The first answer again if the pin was stored before the kill, else stored now.
            assert retry.status_code == 201, retry.text
            sent.acknowledged[text] = retry.json()["id"]

    pins = stored_pins(tmp_path, consultation.id)
    twice = sorted(text for text, n in Counter(text for text, _ in pins).items() if n > 1)
    assert twice == [], f"{len(twice)} pins stored twice"
    # Each send is stored exactly once, under the id its writer was answered with.
    assert dict(pins) == sent.acknowledged
