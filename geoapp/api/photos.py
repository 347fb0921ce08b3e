"""Photo upload and delivery.

A photo travels in two steps: POST /api/photos (multipart, field `file`) returns an `id`; the
new contribution then names it as `photo_id`, with `photo_alt` describing it.
"""

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status

from geoapp.api import problems
from geoapp.api.deps import (
    OptionalParticipantDep,
    ParticipantDep,
    PhotoStorageDep,
    SettingsDep,
    StoreDep,
)
from geoapp.config import Settings
from geoapp.errors import TooLarge, UnsupportedMedia
from geoapp.models import PhotoUploaded
from geoapp.services import photos

router = APIRouter(prefix="/api", tags=["residents"])

UPLOAD_PATH = "/api/photos"
# Room for the multipart boundaries and part headers around a photo of the largest size.
MULTIPART_ENVELOPE = 16 * 1024

PUBLIC_CACHE = "public, max-age=31536000, immutable"
# The uploader's own photo before a planner published it: no shared cache may keep it.
PRIVATE_CACHE = "private, no-cache"


def body_limit(settings: Settings) -> tuple[int, str]:
    """The upload route's body limit and the message key for a body over it."""
    return settings.max_photo_bytes + MULTIPART_ENVELOPE, "photo_too_large"


@router.post(
    "/photos",
    status_code=status.HTTP_201_CREATED,
    response_model=PhotoUploaded,
    responses=problems.declare(TooLarge, UnsupportedMedia),
)
def upload_photo(
    file: Annotated[
        UploadFile, File(description="JPEG, PNG, WebP or HEIC; at most 10 MB (see settings).")
    ],
    store: StoreDep,
    storage: PhotoStorageDep,
    settings: SettingsDep,
    participant: ParticipantDep,
) -> PhotoUploaded:
    """Upload a photo for a new pin; send the returned `id` as `photo_id` with the pin.

    The server keeps only re-encoded JPEGs (at most 1600 px, and a 400 px thumbnail), upright,
    without any metadata: no EXIF, so no GPS position. The original file is not kept.
    """
    data = file.file.read(settings.max_photo_bytes + 1)
    return photos.upload(store, storage, participant, data, settings.max_photo_bytes)


@router.get(
    "/photos/{photo_id}/{variant}.jpg",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}, "description": "The JPEG image."}},
)
def get_photo(
    photo_id: str,
    variant: str,
    store: StoreDep,
    storage: PhotoStorageDep,
    participant: OptionalParticipantDep,
) -> Response:
    """A photo as `large` (≤1600 px) or `thumb` (≤400 px), once its pin is published."""
    served = photos.serve(store, storage, photo_id, variant, participant)
    return Response(
        served.data,
        media_type="image/jpeg",
        headers={"Cache-Control": PUBLIC_CACHE if served.public else PRIVATE_CACHE},
    )
