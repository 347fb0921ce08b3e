"""Photos: upload, re-encoding without metadata, attaching to pins, delivery, refusals."""

import io
import struct
import zlib

import httpx
import pillow_heif
import pytest
from fastapi.testclient import TestClient
from PIL import ExifTags, Image, ImageCms

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import ContributionQuery, Moderation, PlannerRole, Status
from tests.api.test_contributions import assert_problem, body
from tests.factories import (
    as_new_participant,
    become_participant,
    make_consultation,
    sign_in_as,
    stored_photo_files,
    stored_rows,
    with_form_token,
)
from tests.live_server import serve

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (51.0, 34.0, 40.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (7.0, 42.0, 46.0),
}
XMP = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF/></x:xmpmeta>"


def camera_jpeg(size: tuple[int, int] = (800, 600), orientation: int | None = None) -> bytes:
    """A JPEG as a phone writes it: GPS position, orientation tag, colour profile, XMP.

    Its left half is red and its right half blue, so that a rotation can be seen.
    """
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = GPS
    exif[ExifTags.Base.Make] = "Testkamera"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, icc_profile=icc, xmp=XMP)
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert dict(check.getexif().get_ifd(ExifTags.IFD.GPSInfo)) == GPS
    return data


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def upload(client: TestClient, data: bytes, name: str = "foto.jpg") -> httpx.Response:
    return client.post("/api/photos", files={"file": (name, data, "image/jpeg")})


def uploaded(client: TestClient, data: bytes | None = None) -> dict:
    response = upload(client, data or camera_jpeg())
    assert response.status_code == 201, response.text
    return response.json()


def pin_with_photo(client: TestClient, photo_id: str, alt: str | None = None) -> httpx.Response:
    return client.post(
        "/api/consultations/test/contributions",
        json=with_form_token(client, body(photo_id=photo_id, photo_alt=alt)),
    )


def assert_no_metadata(data: bytes) -> None:
    assert data.startswith(b"\xff\xd8")
    assert b"Exif" not in data  # no APP1 EXIF block at all
    assert b"ICC_PROFILE" not in data
    assert b"adobe:ns:meta" not in data and b"http://ns.adobe.com/xap" not in data
    assert b"Testkamera" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "icc_profile" not in image.info and "xmp" not in image.info


def assert_nothing_stored(settings: Settings) -> None:
    assert stored_rows(settings, "SELECT count(*) FROM photos") == [(0,)]
    assert stored_photo_files(settings) == []


def test_served_photos_carry_no_exif_gps_or_other_metadata(app_client, app_store) -> None:
    make_consultation(app_store)
    photo = uploaded(app_client, camera_jpeg())
    created = pin_with_photo(app_client, photo["id"], alt="Die kaputte Bank am Marktplatz")
    assert created.status_code == 201, created.text
    [feature] = app_client.get("/api/consultations/test/contributions").json()["features"]
    assert feature["properties"]["photo"] == {
        "url": photo["url"],
        "thumbnail_url": photo["thumbnail_url"],
        "alt": "Die kaputte Bank am Marktplatz",
    }
    for url in (photo["url"], photo["thumbnail_url"]):
        response = app_client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/jpeg"
        assert response.headers["cache-control"] == "public, max-age=300"
        assert_no_metadata(response.content)


def test_orientation_tag_is_applied_to_the_pixels(app_client) -> None:
    photo = uploaded(app_client, camera_jpeg(size=(800, 600), orientation=6))
    for url in (photo["url"], photo["thumbnail_url"]):
        with Image.open(io.BytesIO(app_client.get(url).content)) as served:
            width, height = served.size
            assert height > width  # turned upright: 600 × 800 (and 300 × 400)
            # Orientation 6 means "rotate 90° clockwise": the red left half is now on top.
            top = served.convert("RGB").getpixel((width // 2, height // 8))
            bottom = served.convert("RGB").getpixel((width // 2, height * 7 // 8))
    assert (width, height) == (300, 400)
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_large_photo_is_limited_to_1600_and_thumbnail_to_400_pixels(app_client) -> None:
    photo = uploaded(app_client, camera_jpeg(size=(4000, 3000)))
    with Image.open(io.BytesIO(app_client.get(photo["url"]).content)) as large:
        assert large.size == (1600, 1200)
    with Image.open(io.BytesIO(app_client.get(photo["thumbnail_url"]).content)) as thumb:
        assert thumb.size == (400, 300)


def test_small_photo_is_not_enlarged(app_client) -> None:
    photo = uploaded(app_client, camera_jpeg(size=(320, 240)))
    with Image.open(io.BytesIO(app_client.get(photo["url"]).content)) as large:
        assert large.size == (320, 240)


@pytest.mark.parametrize(
    ("kind", "mode", "options"),
    [("PNG", "RGBA", {}), ("WEBP", "RGB", {}), ("HEIF", "RGB", {}), ("PNG", "P", {})],
)
def test_png_webp_and_heic_become_jpeg(app_client, kind, mode, options) -> None:
    pillow_heif.register_heif_opener()
    image = Image.new(mode, (640, 480), "green" if mode != "RGBA" else (0, 128, 0, 0))
    response = upload(app_client, encoded(image, kind, **options), name=f"foto.{kind.lower()}")
    assert response.status_code == 201, response.text
    served = app_client.get(response.json()["url"]).content
    assert_no_metadata(served)
    with Image.open(io.BytesIO(served)) as image_back:
        assert image_back.size == (640, 480)
        if mode == "RGBA":  # transparent pixels become white, not black
            assert min(image_back.convert("RGB").getpixel((10, 10))) > 240


def test_refuses_decompression_bomb_and_stores_nothing(app_client, settings) -> None:
    response = upload(app_client, png_declaring(30000, 30000), name="bombe.png")
    assert "Megapixel" in assert_problem(response, 422, "file")["detail"]
    assert_nothing_stored(settings)


def test_refuses_image_with_more_pixels_than_any_camera(app_client, settings) -> None:
    # 81 megapixels: below Pillow's own bomb limit, above ours.
    response = upload(app_client, png_declaring(9000, 9000), name="riesig.png")
    assert "64 Megapixel" in assert_problem(response, 422, "file")["detail"]
    assert_nothing_stored(settings)


@pytest.mark.parametrize(
    "data",
    [
        b"Dies ist kein Bild, nur Text mit einer .jpg-Endung.\n" * 20,
        camera_jpeg()[:2000],  # a truncated JPEG
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",  # decoders we never reach
        b"GIF89a" + b"\0" * 100,
    ],
    ids=["text", "truncated", "eps", "gif"],
)
def test_refuses_what_is_not_a_readable_photo(app_client, settings, data) -> None:
    response = upload(app_client, data, name="foto.jpg")
    problem = assert_problem(response, 415, "file")
    assert problem["detail"] == (
        "Das Foto konnte nicht gelesen werden. Bitte senden Sie ein JPEG-, PNG- oder WebP-Bild."
    )
    assert_nothing_stored(settings)


def test_refuses_upload_over_10_mb_and_stores_nothing(app_client, settings) -> None:
    response = upload(app_client, b"\xff\xd8" + b"\0" * (11 * 1024 * 1024))
    problem = assert_problem(response, 413)
    assert "10 MB" in problem["detail"]
    english = app_client.post(
        "/api/photos",
        files={"file": ("foto.jpg", b"\0" * (11 * 1024 * 1024), "image/jpeg")},
        headers={"Accept-Language": "en"},
    )
    assert "10 MB" in assert_problem(english, 413)["detail"]
    assert_nothing_stored(settings)


def test_photo_limit_is_a_setting_and_counts_the_file_not_the_envelope(settings) -> None:
    # A valid JPEG padded with trailing bytes (decoders stop at its end marker) to 1 MiB.
    photo = camera_jpeg().ljust(2**20, b"\0")
    settings.max_photo_bytes = 2**20
    with TestClient(create_app(settings)) as client:
        become_participant(client)
        assert upload(client, photo).status_code == 201
        problem = assert_problem(upload(client, photo + b"\0" * 100), 413, "file")
        assert "höchstens 1 MB" in problem["detail"]
        far_over = assert_problem(upload(client, photo * 2), 413)
        assert far_over["detail"] == problem["detail"]
    assert stored_rows(settings, "SELECT count(*) FROM photos") == [(1,)]


def test_json_routes_keep_their_small_limit(app_client, app_store) -> None:
    make_consultation(app_store)
    response = app_client.post(
        "/api/consultations/test/contributions",
        json=with_form_token(app_client, body(text="x" * 200_000)),
    )
    assert "65.536" in assert_problem(response, 413)["detail"]


def test_refuses_upload_without_file(app_client, settings) -> None:
    response = app_client.post("/api/photos", data={"nichts": "hier"})
    assert assert_problem(response, 422, "file")["detail"] == "Bitte wählen Sie ein Foto aus."


def test_photo_of_another_browser_cannot_be_attached(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    photo = uploaded(app_client)
    as_new_participant(app_client)
    response = pin_with_photo(app_client, photo["id"])
    assert "noch einmal hoch" in assert_problem(response, 422, "photo_id")["detail"]
    assert_problem(pin_with_photo(app_client, "gibt-es-nicht"), 422, "photo_id")
    every = ContributionQuery(consultation_id=consultation.id, statuses=list(Status))
    assert app_store.count_contributions(every) == 0


def test_photo_is_attached_to_one_pin_only(app_client, app_store) -> None:
    make_consultation(app_store)
    photo = uploaded(app_client)
    assert pin_with_photo(app_client, photo["id"]).status_code == 201
    response = pin_with_photo(app_client, photo["id"])
    assert "anderen Beitrag" in assert_problem(response, 422, "photo_id")["detail"]


def test_refuses_photo_where_photos_are_off(app_client, app_store) -> None:
    make_consultation(app_store, allow_photos=False)
    photo = uploaded(app_client)
    response = pin_with_photo(app_client, photo["id"])
    assert "keine Fotos" in assert_problem(response, 422, "photo_id")["detail"]


def test_refuses_too_long_photo_description(app_client, app_store) -> None:
    make_consultation(app_store)
    photo = uploaded(app_client)
    response = pin_with_photo(app_client, photo["id"], alt="x" * 301)
    assert "300" in assert_problem(response, 422, "photo_alt")["detail"]


def test_unpublished_photo_is_shown_only_to_its_uploader(app_client, app_store) -> None:
    make_consultation(app_store, moderation=Moderation.PRE)
    photo = uploaded(app_client)
    own = app_client.get(photo["thumbnail_url"])
    assert own.status_code == 200 and own.headers["cache-control"] == "private, no-cache"
    created = pin_with_photo(app_client, photo["id"], alt="Schlagloch").json()
    assert created["status"] == "pending"
    assert app_client.get(photo["url"]).status_code == 200
    mine = app_client.get("/api/me/contributions").json()["contributions"]
    assert mine[0]["photo"]["url"] == photo["url"]

    app_client.cookies.clear()
    assert_problem(app_client.get(photo["url"]), 404)
    assert_problem(app_client.get(photo["thumbnail_url"]), 404)


def test_published_photo_is_kept_briefly_and_revalidated_by_its_etag(app_client, app_store):
    make_consultation(app_store)
    photo = uploaded(app_client)
    assert pin_with_photo(app_client, photo["id"]).status_code == 201
    app_client.cookies.clear()
    first = app_client.get(photo["url"])
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=300"
    again = app_client.get(photo["url"], headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    thumb = app_client.get(photo["thumbnail_url"], headers={"If-None-Match": first.headers["etag"]})
    assert thumb.status_code == 200 and thumb.content


@pytest.mark.parametrize(
    ("moderation", "decision"),
    [
        (Moderation.POST, {"status": "hidden", "reason": "insult"}),
        (Moderation.PRE, {"status": "rejected", "reason": "personal_data"}),
    ],
)
def test_photo_of_a_hidden_or_rejected_pin_is_served_to_nobody(
    app_client, app_store, moderation, decision
) -> None:
    make_consultation(app_store, moderation=moderation)
    photo = uploaded(app_client)
    created = pin_with_photo(app_client, photo["id"]).json()
    cached = app_client.get(photo["url"])
    assert cached.status_code == 200
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    changed = app_client.post(f"/api/planner/contributions/{created['id']}/status", json=decision)
    assert changed.status_code == 200, changed.text
    # Not even the uploader, whose browser still holds the participant cookie, nor a cache
    # that asks whether its copy is still good.
    assert_problem(app_client.get(photo["url"]), 404)
    assert_problem(app_client.get(photo["thumbnail_url"]), 404)
    revalidated = app_client.get(photo["url"], headers={"If-None-Match": cached.headers["etag"]})
    assert_problem(revalidated, 404)


def test_unknown_photo_or_variant_is_404(app_client) -> None:
    photo = uploaded(app_client)
    assert_problem(app_client.get(f"/api/photos/{photo['id']}/original.jpg"), 404)
    assert_problem(app_client.get("/api/photos/..%2F..%2Fgeoapp.sqlite/large.jpg"), 404)
    assert_problem(
        app_client.get("/api/photos/00000000-0000-0000-0000-000000000000/large.jpg"), 404
    )


def test_original_upload_is_never_kept(app_client, settings) -> None:
    original = camera_jpeg()
    uploaded(app_client, original)
    files = stored_photo_files(settings)
    assert [variant for variant, _ in files] == ["large", "thumb"]
    assert all(data != original and b"Exif" not in data for _, data in files)


def test_streamed_upload_without_length_is_cut_off_at_the_limit(settings) -> None:
    def multipart_of_11_mb():
        yield (
            b'--grenze\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
            b"Content-Type: image/jpeg\r\n\r\n"
        )
        for _ in range(11):
            yield b"\0" * 2**20
        yield b"\r\n--grenze--\r\n"

    app = create_app(settings)
    with serve(app) as base_url:
        response = httpx.post(
            f"{base_url}/api/photos",
            content=multipart_of_11_mb(),
            headers={"content-type": "multipart/form-data; boundary=grenze"},
            timeout=60,
        )
    assert "10 MB" in assert_problem(response, 413)["detail"]
    assert_nothing_stored(settings)


def test_malformed_multipart_gets_a_readable_refusal(app_client, settings) -> None:
    response = app_client.post(
        "/api/photos",
        content=b"\0" * 100,
        headers={"content-type": "multipart/form-data; boundary=grenze"},
    )
    assert "nicht gelesen werden" in assert_problem(response, 400)["detail"]
    assert_nothing_stored(settings)
