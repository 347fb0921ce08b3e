"""Two app processes on one PostgreSQL, as two machines behind a load balancer: each has its
own data folder (nothing shared but the database), and a browser may reach either."""

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from geoapp.domain import ContributionQuery, Status
from geoapp.store import open_store
from tests.api.test_contributions import body
from tests.api.test_photos import camera_jpeg
from tests.factories import PLANNER_PASSWORD, make_consultation, make_planner
from tests.live_server import ServerProcess, open_like_the_page

SERVE = ("-m", "geoapp", "serve")
PINS = "/api/consultations/test/contributions"
WRITERS = 20
PINS_PER_WRITER = 10
SUPPORTS_ALLOWED = 4
ENV = {
    "GEOAPP_FORM_MIN_SECONDS": "0",
    "GEOAPP_RATE_PINS_PER_PARTICIPANT": "1000",
    "GEOAPP_RATE_PINS_PER_NETWORK": "1000",
    "GEOAPP_RATE_PARTICIPANTS_PER_NETWORK": "1000",
    "GEOAPP_RATE_PHOTOS_PER_NETWORK": "1000",
    "GEOAPP_RATE_SUPPORTS_PER_PARTICIPANT": str(SUPPORTS_ALLOWED),
}


@pytest.fixture
def servers(tmp_path: Path, postgres_url: str) -> Iterator[tuple[str, str]]:
    """The base URLs of two running app processes on the one test database."""
    store = open_store(postgres_url)
    make_consultation(store)
    make_planner(store, "anna")
    store.close()
    env = {**ENV, "GEOAPP_DATABASE_URL": postgres_url}
    folders = [tmp_path / "one", tmp_path / "two"]
    processes = [ServerProcess(folder, SERVE, env=env) for folder in folders]
    for folder in folders:
        folder.mkdir()
    try:
        urls = [process.start() for process in processes]
        yield urls[0], urls[1]
    finally:
        for process in processes:
            process.stop()


def test_planner_signed_in_on_one_is_signed_in_on_the_other(servers: tuple[str, str]):
    one, two = servers
    signed_in = httpx.post(
        f"{one}/api/planner/session", json={"username": "anna", "password": PLANNER_PASSWORD}
    )
    assert signed_in.status_code == 200, signed_in.text
    session = httpx.get(f"{two}/api/planner/session", cookies=signed_in.cookies)
    assert session.status_code == 200, session.text
    assert session.json()["username"] == "anna"
    signed_out = httpx.delete(
        f"{two}/api/planner/session",
        cookies=signed_in.cookies,
        headers={"X-CSRF-Token": signed_in.json()["csrf_token"]},
    )
    assert signed_out.status_code == 204
    assert httpx.get(f"{one}/api/planner/session", cookies=signed_in.cookies).status_code == 401


def test_rate_limit_counts_requests_sent_to_both(servers: tuple[str, str]):
    one, two = servers
    with httpx.Client(base_url=one) as browser:
        form = open_like_the_page(browser, browser.get("/openapi.json").json())
        pin = browser.post(PINS, json=body(**form)).json()["id"]
        answers = []
        for number in range(SUPPORTS_ALLOWED + 1):
            server = (one, two)[number % 2]
            method = browser.post if number % 2 == 0 else browser.delete
            answers.append(method(f"{server}/api/contributions/{pin}/supports").status_code)
    # The participant's cookie is good on both, and both count in the one window.
    assert all(status in (200, 204) for status in answers[:SUPPORTS_ALLOWED]), answers
    assert answers[SUPPORTS_ALLOWED] == 429


def test_concurrent_pins_over_both_are_stored_once(servers: tuple[str, str], postgres_url: str):
    one, two = servers
    api = httpx.get(f"{one}/openapi.json").json()
    answered: list[tuple[str, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        try:
            # Both servers are on 127.0.0.1, so the browser sends its cookie to either.
            with httpx.Client(base_url=one, timeout=60) as browser:
                form = open_like_the_page(browser, api)
                start.wait(timeout=60)
                for pin in range(PINS_PER_WRITER):
                    key = str(uuid.uuid4())
                    payload = body(text=f"Beitrag {number}-{pin}", **form)
                    # Sent to one server, then retried on the other (a lost answer): one pin.
                    first, second = (one, two) if (number + pin) % 2 else (two, one)
                    ids = []
                    for server in (first, second):
                        response = browser.post(
                            f"{server}{PINS}", json=payload, headers={"Idempotency-Key": key}
                        )
                        assert response.status_code == 201, response.text
                        ids.append(response.json()["id"])
                    assert ids[0] == ids[1]
                    with lock:
                        answered.append((payload["text"], ids[0]))
        except BaseException as error:
            errors.append(error)
            start.abort()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert len(answered) == WRITERS * PINS_PER_WRITER

    store = open_store(postgres_url)
    try:
        consultation = store.get_consultation("test")
        assert consultation is not None
        every = ContributionQuery(consultation_id=consultation.id, statuses=list(Status))
        stored = [(c.text, c.id) for c in store.list_contributions(every)]
    finally:
        store.close()
    assert [text for text, n in Counter(t for t, _ in stored).items() if n > 1] == []
    assert sorted(stored) == sorted(answered)


def test_photo_uploaded_through_one_is_served_by_the_other(servers: tuple[str, str]):
    one, two = servers
    with httpx.Client(base_url=one) as browser:
        form = open_like_the_page(browser, browser.get("/openapi.json").json())
        files = {"file": ("foto.jpg", camera_jpeg(), "image/jpeg")}
        photo = browser.post("/api/photos", files=files)
        assert photo.status_code == 201, photo.text
        photo_id = photo.json()["id"]
        pin = browser.post(PINS, json=body(photo_id=photo_id, **form))
        assert pin.status_code == 201, pin.text
        from_one = browser.get(f"/api/photos/{photo_id}/large.jpg")
    from_two = httpx.get(f"{two}/api/photos/{photo_id}/large.jpg")
    assert from_two.status_code == 200
    assert from_two.headers["content-type"] == "image/jpeg"
    assert from_two.content == from_one.content
