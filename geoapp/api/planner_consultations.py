"""Planners' consultation routes: create and edit, perimeter upload, imports of pins."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile, status

from geoapp.api import problems
from geoapp.api.deps import (
    AdminDep,
    LanguageDep,
    PlannerConsultationDep,
    PlannerDep,
    SettingsDep,
    StoreDep,
    require_planner,
)
from geoapp.domain import Source
from geoapp.errors import NotAllowedNow
from geoapp.models import (
    ConsultationCreate,
    ConsultationForPlanner,
    ConsultationUpdate,
    ImportResult,
    ImportSource,
    PauseChange,
)
from geoapp.services import consultations, imports

PREFIX = "/api/planner/consultations"
UPLOAD_PATHS = (PREFIX + "/{slug}/perimeter", PREFIX + "/{slug}/imports")

router = APIRouter(prefix=PREFIX, tags=["planners"], dependencies=[Depends(require_planner)])

# A slug taken, a status step not allowed, a category in use, a consultation not taking pins.
NOT_NOW = problems.declare(NotAllowedNow)

UploadDep = Annotated[UploadFile, File(description="The file, as a multipart form field.")]


@router.get("", response_model=list[ConsultationForPlanner])
def list_consultations(store: StoreDep) -> list[ConsultationForPlanner]:
    """Every consultation, drafts and archived ones included, newest first."""
    return [consultations.to_planner(c) for c in store.list_consultations()]


@router.get("/{slug}", response_model=ConsultationForPlanner)
def get_consultation(consultation: PlannerConsultationDep) -> ConsultationForPlanner:
    return consultations.to_planner(consultation)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsultationForPlanner,
    responses=NOT_NOW,
)
def create_consultation(
    body: ConsultationCreate, store: StoreDep, settings: SettingsDep, _admin: AdminDep
) -> ConsultationForPlanner:
    """A new consultation (a draft unless `status` says otherwise)."""
    created = consultations.create(store, body, datetime.now(UTC), settings.max_perimeter_vertices)
    return consultations.to_planner(created)


@router.patch("/{slug}", response_model=ConsultationForPlanner, responses=NOT_NOW)
def update_consultation(
    body: ConsultationUpdate,
    store: StoreDep,
    settings: SettingsDep,
    _admin: AdminDep,
    consultation: PlannerConsultationDep,
) -> ConsultationForPlanner:
    """Change texts, dates, settings, categories, perimeter or status (open/close/archive)."""
    updated = consultations.update(
        store, consultation, body, datetime.now(UTC), settings.max_perimeter_vertices
    )
    return consultations.to_planner(updated)


@router.put("/{slug}/pause", response_model=ConsultationForPlanner)
def pause_intake(
    body: PauseChange, store: StoreDep, planner: PlannerDep, consultation: PlannerConsultationDep
) -> ConsultationForPlanner:
    """The emergency brake: pause (or resume) new pins and replies, with a message residents
    see. Any planner may pull it; it is audited."""
    updated = consultations.set_pause(
        store, consultation, body.paused, body.message, planner.planner.username, datetime.now(UTC)
    )
    return consultations.to_planner(updated)


@router.put("/{slug}/perimeter", response_model=ConsultationForPlanner)
def upload_perimeter(
    file: UploadDep,
    store: StoreDep,
    settings: SettingsDep,
    _admin: AdminDep,
    consultation: PlannerConsultationDep,
) -> ConsultationForPlanner:
    """The perimeter from a GeoJSON, GeoPackage or zipped Shapefile in any CRS."""
    updated = consultations.set_perimeter_from_file(
        store,
        consultation,
        file.file.read(),
        file.filename or "",
        datetime.now(UTC),
        settings.max_perimeter_vertices,
    )
    return consultations.to_planner(updated)


@router.post("/{slug}/imports", response_model=ImportResult, responses=NOT_NOW)
def import_contributions(
    file: UploadDep,
    store: StoreDep,
    language: LanguageDep,
    admin: AdminDep,
    consultation: PlannerConsultationDep,
    dry_run: Annotated[bool, Query(description="Only list what would be created.")] = False,
    source: Annotated[ImportSource, Query(description="Where the pins came from.")] = (
        ImportSource.IMPORT
    ),
) -> ImportResult:
    """Many pins from CSV (lon/lat or E/N in EPSG:25832), GeoJSON or GeoPackage."""
    plan = imports.plan(
        consultation, file.file.read(), file.filename or "", Source(source), language
    )
    if dry_run:
        return imports.preview(plan)
    return imports.run(store, plan, admin.planner.username, datetime.now(UTC))
