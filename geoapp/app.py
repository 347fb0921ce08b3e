"""The application factory: everything is built from Settings, nothing at import time."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from geoapp import __version__
from geoapp.api import (
    docs,
    engagement,
    exports,
    health,
    openapi,
    photos,
    planner,
    planner_consultations,
    problems,
    public,
    reference,
    spot,
)
from geoapp.api import ogc as ogc_api
from geoapp.api.compression import PublicGZip
from geoapp.api.headers import SecurityHeaders
from geoapp.api.limits import BodySizeLimit
from geoapp.api.planner_consultations import UPLOAD_PATHS
from geoapp.api.view_cache import ViewCache
from geoapp.config import Settings
from geoapp.paths import node_package
from geoapp.security import server_keys
from geoapp.security.work_gates import Gates, WorkGate
from geoapp.services import demo
from geoapp.services import reference as reference_layers
from geoapp.store import open_store
from geoapp.store.photos import open_photo_storage

log = logging.getLogger(__name__)

VENDOR = {
    "/vendor/leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "/vendor/leaflet.markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
    "/vendor/leaflet.heat": node_package("leaflet.heat"),
    "/vendor/leaflet-draw": node_package("leaflet-draw"),
    "/vendor/swagger-ui": node_package("swagger-ui-dist", folder=""),
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the store opens (and migrates) in the lifespan."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings.effective_database_url)
        if settings.seed_demo:
            added = demo.seed_if_empty(store, settings.reference_dir)
            if added:
                log.info("seeded %d demo consultations", added)
        app.state.store = store
        secret = settings.participant_secret
        configured = secret.get_secret_value() if secret else None
        app.state.keys = server_keys.load(store, configured, datetime.now(UTC))
        app.state.photos = open_photo_storage(
            settings.effective_photo_storage, settings.uploads_dir, store
        )
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="Beteiligungskarte Heeren-Werve",
        version=__version__,
        description="Residents pin wishes and worries on a map; planners moderate and export.",
        lifespan=lifespan,
        # FastAPI's own pages load Swagger UI and ReDoc from a CDN with an inline script;
        # /docs is served from the packaged Swagger UI instead (geoapp/api/docs.py).
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.gates = Gates(
        decodes=WorkGate(
            settings.photo_decodes_at_once, settings.photo_decode_wait_seconds, "photo_busy"
        ),
        hashes=WorkGate(
            settings.signin_hashes_at_once, settings.signin_hash_wait_seconds, "signin_busy"
        ),
        themes=WorkGate(settings.themes_at_once, settings.themes_wait_seconds, "themes_busy"),
    )
    app.state.reference = reference_layers.load(settings.reference_dir)
    app.state.views = ViewCache(settings.map_cache_entries)
    uploads = {path: (settings.max_upload_bytes, "upload_too_large") for path in UPLOAD_PATHS}
    app.add_middleware(
        BodySizeLimit,
        limit=settings.max_body_bytes,
        path_limits={photos.UPLOAD_PATH: photos.body_limit(settings), **uploads},
    )
    app.add_middleware(SecurityHeaders, settings=settings)
    app.add_middleware(PublicGZip)
    problems.install(app)
    openapi.install(app)
    app.include_router(health.router)
    app.include_router(public.router)
    app.include_router(engagement.router)
    app.include_router(photos.router)
    app.include_router(reference.router)
    app.include_router(planner.signin_router)
    app.include_router(planner.router)
    app.include_router(planner_consultations.router)
    app.include_router(exports.router)
    app.include_router(exports.public_router)
    app.include_router(docs.router)
    app.include_router(ogc_api.router)

    app.include_router(spot.router)
    app.include_router(spot.short_router)
    app.include_router(spot.planner_router)
    for prefix, folder in VENDOR.items():
        app.mount(prefix, StaticFiles(directory=folder), name=prefix.strip("/"))
    app.mount("/", StaticFiles(directory=settings.static_dir, html=True), name="static")
    return app
