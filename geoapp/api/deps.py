"""Typed dependencies: a route's signature reads like its contract."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request

from geoapp import geo
from geoapp.api.view_cache import ViewCache
from geoapp.config import Settings
from geoapp.domain import BBox, Consultation, PlannerRole
from geoapp.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    NotPermitted,
    NotSignedIn,
    TooManyAttempts,
)
from geoapp.i18n import negotiate
from geoapp.models import UtcOrNaiveDatetime
from geoapp.security import networks, participants, planner_sessions, rate_limits
from geoapp.security.rate_limits import Limiter
from geoapp.security.server_keys import ServerKeys
from geoapp.security.work_gates import Gates
from geoapp.services import consultations, planners
from geoapp.services.planners import SignedIn
from geoapp.services.reference import ReferenceLayers
from geoapp.store.base import Store
from geoapp.store.photos import PhotoStorage


# Dependencies that only read the request or app.state are coroutines: FastAPI runs a plain
# `def` dependency in its thread pool, and a send resolved ten of them, one thread hop each.
# Those that wait on the database stay plain functions.
async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_reference(request: Request) -> ReferenceLayers:
    return request.app.state.reference


ReferenceDep = Annotated[ReferenceLayers, Depends(get_reference)]
"""The reference geodata read at start-up: outline, named places, gazetteer."""


async def get_language(
    request: Request,
    accept_language: Annotated[str | None, Header()] = None,
) -> str:
    """The response language: from Accept-Language, among the languages the app offers."""
    return negotiate(accept_language, request.app.state.settings.languages)


async def get_bbox(
    bbox: Annotated[
        str | None,
        Query(
            description="minLon,minLat,maxLon,maxLat in WGS84",
            examples=["7.70,51.57,7.72,51.59"],
        ),
    ] = None,
) -> BBox | None:
    if bbox is None:
        return None
    try:
        values = [float(v) for v in bbox.split(",")]
    except ValueError:
        raise InvalidInput("bbox_invalid", field="bbox") from None
    if len(values) != 4:
        raise InvalidInput("bbox_invalid", field="bbox")
    box = BBox(*values)
    if not (-180 <= box.min_lon <= box.max_lon <= 180 and -90 <= box.min_lat <= box.max_lat <= 90):
        raise InvalidInput("bbox_invalid", field="bbox")
    return box


def get_views(request: Request) -> ViewCache:
    return request.app.state.views


ViewsDep = Annotated[ViewCache, Depends(get_views)]
"""This worker's encoded map views (keyed by the consultation's change version)."""


async def get_photo_storage(request: Request) -> PhotoStorage:
    return request.app.state.photos


async def get_gates(request: Request) -> Gates:
    return request.app.state.gates


async def get_keys(request: Request) -> ServerKeys:
    return request.app.state.keys


KeysDep = Annotated[ServerKeys, Depends(get_keys)]


async def get_participant(request: Request, keys: KeysDep) -> str:
    """The participant's hash; a missing or forged token is refused (403 problem).

    The page obtains its token first with POST /api/participant.
    """
    token = request.cookies.get(participants.COOKIE_NAME)
    if not participants.is_token(token, keys.participant):
        raise NotPermitted("participant_required")
    return participants.hash_token(token)


async def get_optional_participant(request: Request, keys: KeysDep) -> str | None:
    """The participant's hash if the browser has a valid token; reading never sets one."""
    token = request.cookies.get(participants.COOKIE_NAME)
    if not participants.is_token(token, keys.participant):
        return None
    return participants.hash_token(token)


async def get_client_network(request: Request, keys: KeysDep) -> str:
    """The client's network under today's keyed hash (the address itself is never kept)."""
    settings: Settings = request.app.state.settings
    peer = request.client.host if request.client else None
    forwarded = request.headers.get("x-forwarded-for")
    address = networks.client_address(peer, forwarded, settings.trusted_proxy_networks)
    return networks.network_hash(address, keys.network(datetime.now(UTC).date()))


ClientNetworkDep = Annotated[str, Depends(get_client_network)]
"""The client network's keyed daily hash: IPv4 address or IPv6 /64, never the address."""


async def get_limiter(store: StoreDep, settings: SettingsDep, network: ClientNetworkDep) -> Limiter:
    """The rate limits of this deployment, for the client's network."""
    return Limiter(store, rate_limits.limits_from(settings), network)


async def get_crs(
    crs: Annotated[
        str | None,
        Query(
            description="EPSG:NNNN; default: the format's own (EPSG:25832, GeoJSON/KML EPSG:4326)",
            examples=["EPSG:25832"],
        ),
    ] = None,
) -> int | None:
    """The EPSG code asked for, checked with pyproj; None means the format's default."""
    return None if crs is None else geo.parse_crs(crs)


LanguageDep = Annotated[str, Depends(get_language)]
BBoxDep = Annotated[BBox | None, Depends(get_bbox)]
CrsDep = Annotated[int | None, Depends(get_crs)]
PhotoStorageDep = Annotated[PhotoStorage, Depends(get_photo_storage)]
GatesDep = Annotated[Gates, Depends(get_gates)]
"""This process's bounds on concurrent image decodes and password checks."""
ParticipantDep = Annotated[str, Depends(get_participant)]
"""The participant's token hash (state-changing routes; 403 without a valid token)."""
OptionalParticipantDep = Annotated[str | None, Depends(get_optional_participant)]
"""The participant's token hash, or None when the browser has no valid token."""
LimiterDep = Annotated[Limiter, Depends(get_limiter)]
"""Counts the request against the rate limits of an action (429 problem over one)."""


def get_signed_in(request: Request, store: StoreDep, settings: SettingsDep) -> SignedIn:
    """The signed-in planner (401 problem otherwise, also after the idle timeout)."""
    token = request.cookies.get(planner_sessions.COOKIE)
    return planners.session_of(store, token, settings.planner_idle_minutes, datetime.now(UTC))


PlannerDep = Annotated[SignedIn, Depends(get_signed_in)]


async def get_admin(signed_in: PlannerDep) -> SignedIn:
    """The signed-in planner if an admin (403 problem for moderators)."""
    if signed_in.planner.role != PlannerRole.ADMIN:
        raise NotPermitted("admin_only")
    return signed_in


AdminDep = Annotated[SignedIn, Depends(get_admin)]


def get_public_consultation(slug: str, store: StoreDep) -> Consultation:
    """The consultation of the path's `slug` if residents may see it (404 problem otherwise)."""
    return consultations.get_public(store, slug)


def get_planner_consultation(slug: str, store: StoreDep) -> Consultation:
    """The consultation of the path's `slug` in any status, for planners (404 otherwise)."""
    return consultations.get_for_planner(store, slug)


PublicConsultationDep = Annotated[Consultation, Depends(get_public_consultation)]
PlannerConsultationDep = Annotated[Consultation, Depends(get_planner_consultation)]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def require_planner(
    request: Request,
    signed_in: PlannerDep,
    csrf_token: Annotated[str | None, Header(alias=planner_sessions.CSRF_HEADER)] = None,
) -> None:
    """Guard of every planner route: a session, and the CSRF token when it changes state."""
    if request.method in SAFE_METHODS:
        return
    if not planner_sessions.csrf_matches(signed_in.session.csrf_token, csrf_token):
        raise NotPermitted("csrf")


REFUSALS: dict[Callable[..., Any], tuple[type[DomainError], ...]] = {
    get_bbox: (InvalidInput,),
    get_crs: (InvalidInput,),
    get_participant: (NotPermitted,),
    get_limiter: (TooManyAttempts,),
    get_signed_in: (NotSignedIn,),
    get_admin: (NotPermitted,),
    get_public_consultation: (NotFound,),
    get_planner_consultation: (NotFound,),
    require_planner: (NotPermitted,),  # the CSRF check: state-changing methods only
}
"""What each dependency refuses with; the OpenAPI document declares it on every route using it."""


# Query parameters the planner's queue and exports share: one wording in both documents.
CategoryParam = Annotated[list[str] | None, Query(description="Category key; repeatable.")]
CreatedFromParam = Annotated[
    UtcOrNaiveDatetime | None, Query(description="Created at or after (ISO 8601; UTC if no zone).")
]
CreatedToParam = Annotated[
    UtcOrNaiveDatetime | None, Query(description="Created before (ISO 8601; UTC if no zone).")
]
