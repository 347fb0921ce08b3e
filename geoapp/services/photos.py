"""Photos: re-encode uploads without metadata, attach them to pins, decide who may see them.

The original upload is never stored. What is kept are two JPEGs drawn from its pixels only:
no EXIF (above all no GPS position), no XMP, no ICC profile (colours are converted to sRGB),
turned upright according to the camera's orientation tag.
"""

import contextlib
import ctypes
import io
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import pillow_heif
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from geoapp.config import Settings
from geoapp.domain import Consultation, Contribution, Photo, Status
from geoapp.errors import InvalidInput, NotFound, TooLarge, UnsupportedMedia
from geoapp.i18n import megabytes
from geoapp.models import PhotoPublic, PhotoUploaded
from geoapp.security.work_gates import WorkGate
from geoapp.services.consultations import PUBLIC_STATUSES
from geoapp.store.base import Store
from geoapp.store.photos import VARIANTS, PhotoStorage

LONG_EDGE = {"large": 1600, "thumb": 400}
MAX_PIXELS = 64_000_000  # above any phone camera's default; a larger image is a bomb
JPEG_QUALITY = {"large": 85, "thumb": 80}
URL = "/api/photos/{id}/{variant}.jpg"
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_THRESHOLD_BYTES = 1024 * 1024
ORPHANS_PER_UPLOAD = 20  # each upload removes at most this many stale orphans
# Full-size copies made before scaling: palettes become RGBA and 1-bit becomes grey (see
# _reduced), and Pillow's resize premultiplies transparent pixels (RGBA → RGBa, LA → La).
WORKING_COPIES = {"P": ("RGBA", "RGBa"), "1": ("L",), "RGBA": ("RGBa",), "LA": ("La",)}

# Pins a planner took off the map: their photos go with them.
WITHDRAWN = frozenset({Status.HIDDEN, Status.REJECTED})

# Anything a decoder may raise on a broken or hostile file.
_DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    struct.error,
)


@dataclass(frozen=True)
class Encoded:
    """The variants of one photo as JPEG bytes, and the size of the large one."""

    width: int
    height: int
    variants: dict[str, bytes]


@dataclass(frozen=True)
class Served:
    """A photo variant to send, and whether anyone may see it (so caches may keep it)."""

    data: bytes
    public: bool


def upload(
    store: Store,
    storage: PhotoStorage,
    participant_hash: str,
    data: bytes,
    settings: Settings,
    gate: WorkGate,
    now: datetime | None = None,
) -> PhotoUploaded:
    """Re-encode an upload and keep its variants; refusals store nothing.

    Each upload also removes a few photos that were never attached to a pin in time.
    """
    now = now or datetime.now(UTC)
    with gate.slot():
        encoded = encode(data, settings.max_photo_bytes, settings.max_photo_decoded_bytes)
    photo = Photo(
        id=str(uuid.uuid4()),
        participant_hash=participant_hash,
        width=encoded.width,
        height=encoded.height,
        created_at=now,
    )
    try:
        for variant, content in encoded.variants.items():
            storage.put(photo.id, variant, content)
        store.add_photo(photo)
    except BaseException:
        storage.delete(photo.id)
        raise
    remove_orphans(store, storage, now - timedelta(hours=settings.orphan_photo_hours))
    return PhotoUploaded(
        id=photo.id, url=_url(photo.id, "large"), thumbnail_url=_url(photo.id, "thumb")
    )


def remove_orphans(
    store: Store, storage: PhotoStorage, before: datetime, limit: int = ORPHANS_PER_UPLOAD
) -> int:
    """Delete up to `limit` photos uploaded before `before` and never attached; the count."""
    removed = store.delete_orphan_photos(before, limit)
    for photo_id in removed:
        storage.delete(photo_id)
    return len(removed)


def encode(data: bytes, max_bytes: int, max_decoded_bytes: int) -> Encoded:
    """JPEG variants from the pixels of `data` alone, or a refusal saying what to send.

    The memory an image needs is known from its header, so a refusal comes before decoding.
    """
    if len(data) > max_bytes:
        raise TooLarge("photo_too_large", field="file", max_mb=megabytes(max_bytes))
    try:
        with Image.open(io.BytesIO(data), formats=_formats()) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _too_many_pixels()
            if image.format == "JPEG":
                # JPEG decodes at 1/2, 1/4 or 1/8 scale when the large variant needs no more.
                image.draft(None, (LONG_EDGE["large"], LONG_EDGE["large"]))
            if decoded_bytes(image) > max_decoded_bytes:
                per_pixel = _bytes_per_decoded_pixel(image)
                raise TooLarge(
                    "photo_too_much_memory",
                    field="file",
                    max_mp=max(1, max_decoded_bytes // per_pixel // 10**6),
                )
            upright = _srgb(ImageOps.exif_transpose(_reduced(image)))
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except _DECODE_ERRORS:
        raise UnsupportedMedia("photo_unreadable", field="file") from None
    scaled = {variant: _scaled(upright, LONG_EDGE[variant]) for variant in VARIANTS}
    width, height = scaled["large"].size
    return Encoded(
        width=width,
        height=height,
        variants={variant: _jpeg(image, variant) for variant, image in scaled.items()},
    )


def require_attachable(
    store: Store, photo_id: str, participant_hash: str, consultation: Consultation
) -> None:
    """Refuse a photo_id that is not this participant's, already used, or not wanted here."""
    if not consultation.allow_photos:
        raise InvalidInput("photos_off", field="photo_id")
    photo = store.get_photo(photo_id)
    if photo is None or photo.participant_hash != participant_hash:
        raise InvalidInput("photo_unknown", field="photo_id")
    if store.contribution_of_photo(photo_id) is not None:
        raise InvalidInput("photo_taken", field="photo_id")


def to_public(contribution: Contribution) -> PhotoPublic | None:
    """The photo of a contribution as the map shows it; None without one, or when `serve`
    withholds it (a hidden or rejected pin's photo: its owner would see a broken image)."""
    if contribution.photo_id is None or contribution.status in WITHDRAWN:
        return None
    return PhotoPublic(
        url=_url(contribution.photo_id, "large"),
        thumbnail_url=_url(contribution.photo_id, "thumb"),
        alt=contribution.photo_alt,
    )


def serve(
    store: Store,
    storage: PhotoStorage,
    photo_id: str,
    variant: str,
    participant_hash: str | None,
) -> Served:
    """A variant of a photo while anyone may see it, or while it is the asker's own.

    Everyone sees the photo of a published pin. Its uploader alone sees it before that: just
    uploaded (the form's preview) and while the pin awaits moderation ("Meine Beiträge").
    A photo whose pin a planner hid or rejected is served to nobody.
    """
    photo = store.get_photo(photo_id) if variant in VARIANTS else None
    if photo is None:
        raise NotFound("photo_not_found")
    contribution = store.contribution_of_photo(photo_id)
    if contribution is not None and contribution.status in WITHDRAWN:
        raise NotFound("photo_not_found")
    public = contribution is not None and _is_public(store, contribution)
    if not public and photo.participant_hash != participant_hash:
        raise NotFound("photo_not_found")
    data = storage.get(photo_id, variant)
    if data is None:
        raise NotFound("photo_not_found")
    return Served(data=data, public=public)


def _is_public(store: Store, contribution: Contribution) -> bool:
    if contribution.status != Status.PUBLISHED:
        return False
    consultation = store.get_consultation_by_id(contribution.consultation_id)
    return consultation is not None and consultation.status in PUBLIC_STATUSES


def decoded_bytes(image: Image.Image) -> int:
    """Memory the decoded pixels take in Pillow, plus the full-size copies made from them."""
    return image.width * image.height * _bytes_per_decoded_pixel(image)


def _bytes_per_decoded_pixel(image: Image.Image) -> int:
    modes = (image.mode, *WORKING_COPIES.get(image.mode, ()))
    per_pixel = sum(_bytes_per_pixel(mode) for mode in modes)
    if image.format == "HEIF":
        # libheif hands over its own interleaved buffer (a byte per band) beside Pillow's.
        per_pixel += len(image.getbands())
    return per_pixel


def _bytes_per_pixel(mode: str) -> int:
    # Pillow keeps 1-bit, grey and palette pixels in a byte, 16-bit grey in two, the rest in four.
    if mode in ("1", "L", "P"):
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4


def _too_many_pixels() -> InvalidInput:
    return InvalidInput("photo_too_many_pixels", field="file", max_mp=MAX_PIXELS // 10**6)


def _url(photo_id: str, variant: str) -> str:
    return URL.format(id=photo_id, variant=variant)


@cache
def _formats() -> tuple[str, ...]:
    """The decoders an upload may reach; HEIC/HEIF through pillow-heif's opener."""
    pillow_heif.register_heif_opener()
    _map_large_allocations()
    return ("JPEG", "PNG", "WEBP", "HEIF")


def _map_large_allocations() -> None:
    """Have glibc map every buffer of 1 MiB or more on its own, so a free gives it back.

    Otherwise glibc raises its threshold to the largest buffer freed so far (up to 32 MiB),
    and the pixel buffers of each decode stay in the heap of the worker thread that made
    them: 8 large uploads left the process at 730 MB instead of 390 MB (bench/stress.py).
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return  # not glibc (musl, macOS): their allocators decide for themselves
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def _reduced(image: Image.Image) -> Image.Image:
    """The decoded image at most as large as the large variant, before any other work."""
    if image.mode in ("P", "1"):
        # Palette and 1-bit pixels would be scaled by nearest neighbour; these scale smoothly.
        image = image.convert(WORKING_COPIES[image.mode][0])
    image.thumbnail((LONG_EDGE["large"], LONG_EDGE["large"]), Image.Resampling.LANCZOS)
    return image


def _srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB: transparency onto white, an embedded colour profile applied."""
    profile = image.info.get("icc_profile")
    if "A" in image.getbands():
        rgba = image.convert("RGBA")
        image = Image.new("RGBA", rgba.size, "white")
        image.alpha_composite(rgba)
    rgb = image.convert("RGB")
    if profile:
        # A broken profile is ignored: the pixels stay as they are.
        with contextlib.suppress(ImageCms.PyCMSError):
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            rgb = ImageCms.profileToProfile(rgb, source, ImageCms.createProfile("sRGB")) or rgb
    # Only pixels go on: a fresh image carries none of the upload's metadata.
    return Image.frombytes("RGB", rgb.size, rgb.tobytes())


def _scaled(image: Image.Image, edge: int) -> Image.Image:
    """A copy no larger than `edge` on its long side (never enlarged)."""
    scaled = image.copy()
    scaled.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    return scaled


def _jpeg(image: Image.Image, variant: str) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY[variant], optimize=True, progressive=True)
    return out.getvalue()
