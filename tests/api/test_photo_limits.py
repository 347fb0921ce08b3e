"""Photos an attacker sends to exhaust memory: refused before decoding; decodes are bounded."""

import io
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from PIL import Image

from geoapp.app import create_app
from geoapp.security import participants
from geoapp.services import photos
from tests.api.test_contributions import assert_problem
from tests.api.test_photos import assert_nothing_stored, encoded, pin_with_photo, upload
from tests.factories import become_participant, make_consultation


def one_bit_bomb() -> bytes:
    """An 8000 × 8000 px 1-bit PNG: a few KB on the wire, hundreds of MB once decoded."""
    data = encoded(Image.new("1", (8000, 8000)), "PNG", optimize=True)
    assert len(data) < 64 * 1024
    return data


def test_refuses_the_one_bit_png_bomb_before_decoding_and_stores_nothing(
    app_client, settings
) -> None:
    problem = assert_problem(upload(app_client, one_bit_bomb(), "bombe.png"), 413, "file")
    assert problem["code"] == "photo_too_much_memory"
    assert "Megapixel" in problem["detail"]
    assert_nothing_stored(settings)


def test_a_24_megapixel_phone_photo_still_works(app_client) -> None:
    phone = Image.new("RGB", (6000, 4000), "green")
    phone.paste("orange", (0, 0, 3000, 4000))
    response = upload(app_client, encoded(phone, "JPEG", quality=90))
    assert response.status_code == 201, response.text
    large = app_client.get(response.json()["url"])
    with Image.open(io.BytesIO(large.content)) as served:
        assert served.size == (1600, 1067)


def test_a_24_megapixel_png_screenshot_still_works(app_client) -> None:
    screenshot = Image.new("RGB", (6000, 4000), "white")
    response = upload(app_client, encoded(screenshot, "PNG", compress_level=1), "bild.png")
    assert response.status_code == 201, response.text


def test_jpeg_is_decoded_scaled_down_so_it_fits_where_the_same_png_does_not(make_settings) -> None:
    # 3200 × 3200 px need 41 MB decoded in full, but a JPEG decodes at half size (10 MB).
    settings = make_settings(seed_demo=False, max_photo_decoded_bytes=16 * 1024 * 1024)
    image = Image.new("RGB", (3200, 3200), "blue")
    with TestClient(create_app(settings)) as client:
        become_participant(client)
        assert upload(client, encoded(image, "JPEG")).status_code == 201
        refused = upload(client, encoded(image, "PNG", compress_level=1), "bild.png")
        assert assert_problem(refused, 413, "file")["code"] == "photo_too_much_memory"


def test_upload_over_the_concurrent_decodes_gets_503_and_stores_nothing(make_settings) -> None:
    settings = make_settings(seed_demo=False, photo_decodes_at_once=1, photo_decode_wait_seconds=0)
    photo = encoded(Image.new("RGB", (800, 600), "red"), "JPEG")
    with TestClient(create_app(settings)) as client:
        become_participant(client)
        with client.app.state.gates.decodes.slot():
            busy = upload(client, photo)
            problem = assert_problem(busy, 503)
            assert problem["code"] == "photo_busy"
            assert int(busy.headers["retry-after"]) >= 1
            assert_nothing_stored(settings)
        assert upload(client, photo).status_code == 201


def photo_bytes() -> bytes:
    return encoded(Image.new("RGB", (640, 480), "yellow"), "JPEG")


def test_an_upload_removes_photos_left_unattached_for_a_day(app_client, app_store) -> None:
    app = app_client.app
    make_consultation(app_store)
    young = upload(app_client, photo_bytes()).json()["id"]
    browser = participants.hash_token(app_client.cookies[participants.COOKIE_NAME])
    day_ago = datetime.now(UTC) - timedelta(hours=25)

    def old_upload(participant: str) -> str:
        return photos.upload(
            app_store,
            app.state.photos,
            participant,
            photo_bytes(),
            app.state.settings,
            app.state.gates.decodes,
            now=day_ago,
        ).id

    attached = old_upload(browser)
    assert pin_with_photo(app_client, attached).status_code == 201
    orphan = old_upload("a" * 64)
    assert app_store.get_photo(orphan) is not None

    upload(app_client, photo_bytes())
    assert app_store.get_photo(orphan) is None
    assert app.state.photos.get(orphan, "large") is None
    assert app_store.get_photo(attached) is not None
    assert app_store.get_photo(young) is not None  # unattached, but not for a day yet
    assert app_client.get(f"/api/photos/{young}/thumb.jpg").status_code == 200
