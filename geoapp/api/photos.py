"""Photo upload and delivery.

A photo travels in two steps: POST /api/photos (multipart, field `file`) returns an `id`; the
new contribution then names it as `photo_id`, with `photo_alt` describing it.
"""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, File, Header, Response, UploadFile, status

from geoapp.api import problems
from geoapp.api.deps import (
    GatesDep,
    LimiterDep,
    OptionalParticipantDep,
    ParticipantDep,
    PhotoStorageDep,
    SettingsDep,
    StoreDep,
)
from geoapp.config import Settings
from geoapp.errors import Busy, TooLarge, UnsupportedMedia
from geoapp.models import PhotoUploaded
from geoapp.security.rate_limits import Action
from geoapp.services import photos

router = APIRouter(prefix="/api", tags=["residents"])

UPLOAD_PATH = "/api/photos"
# Room for the multipart boundaries and part headers around a photo of the largest size.
MULTIPART_ENVELOPE = 16 * 1024

# The uploader's own photo before a planner published it: no shared cache may keep it.
PRIVATE_CACHE = "private, no-cache"


def public_cache(settings: Settings) -> str:
    """A published photo: kept briefly, because a planner may hide its pin at any time."""
    return f"public, max-age={settings.photo_cache_seconds}"


def body_limit(settings: Settings) -> tuple[int, str]:
    """The upload route's body limit and the message key for a body over it."""
    return settings.max_photo_bytes + MULTIPART_ENVELOPE, "photo_too_large"


@router.post(
    "/photos",
    status_code=status.HTTP_201_CREATED,
    response_model=PhotoUploaded,
    responses=problems.declare(TooLarge, UnsupportedMedia, Busy),
)
def upload_photo(
    file: Annotated[
        UploadFile, File(description="JPEG, PNG, WebP or HEIC; at most 10 MB (see settings).")
    ],
    store: StoreDep,
    storage: PhotoStorageDep,
    settings: SettingsDep,
    participant: ParticipantDep,
    limiter: LimiterDep,
    gates: GatesDep,
) -> PhotoUploaded:
    """Upload a photo for a new pin; send the returned `id` as `photo_id` with the pin.

    The server keeps only re-encoded JPEGs (at most 1600 px, and a 400 px thumbnail), upright,
    without any metadata: no EXIF, so no GPS position. The original file is not kept. An image
    that would need too much memory to decode is refused (413); while the server decodes as
    many photos as it may at once, the upload waits briefly, then gets 503 with Retry-After.
    """
    limiter.check(Action.PHOTO, participant, datetime.now(UTC))
    data = file.file.read(settings.max_photo_bytes + 1)
    return photos.upload(store, storage, participant, data, settings, gates.decodes)


@router.get(
    "/photos/{photo_id}/{variant}.jpg",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}}, "description": "The JPEG image."},
        304: {"description": "The copy the cache holds (If-None-Match) is still right."},
    },
)
def get_photo(
    photo_id: str,
    variant: str,
    store: StoreDep,
    storage: PhotoStorageDep,
    settings: SettingsDep,
    participant: OptionalParticipantDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """A photo as `large` (≤1600 px) or `thumb` (≤400 px), once its pin is published.

    A photo's bytes never change, so its ETag is its id; a cache revalidates it after
    `photo_cache_seconds` and gets 304, or 404 once the pin is hidden.
    """
    served = photos.serve(store, storage, photo_id, variant, participant)
    headers = {
        "Cache-Control": public_cache(settings) if served.public else PRIVATE_CACHE,
        "ETag": f'"{photo_id}-{variant}"',
    }
    if if_none_match and headers["ETag"] in (tag.strip() for tag in if_none_match.split(",")):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(served.data, media_type="image/jpeg", headers=headers)
