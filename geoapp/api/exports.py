"""Export routes: planners download GIS/CAD/spreadsheet files and the competition package;
anyone downloads the published pins as open data where the consultation allows it."""

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from geoapp.api import problems
from geoapp.api.deps import (
    CategoryParam,
    CreatedFromParam,
    CreatedToParam,
    CrsDep,
    GatesDep,
    PhotoStorageDep,
    PlannerConsultationDep,
    PublicConsultationDep,
    SettingsDep,
    StoreDep,
    require_planner,
)
from geoapp.domain import Status
from geoapp.errors import Busy
from geoapp.services import export_package, exports, themes
from geoapp.services.export_formats import FORMATS, Format
from geoapp.services.exports import ExportFile, ExportFilter

router = APIRouter(prefix="/api/planner", tags=["exports"], dependencies=[Depends(require_planner)])
public_router = APIRouter(prefix="/api", tags=["residents"])

SEPARATORS = {"comma": ",", "semicolon": ";"}


async def get_export_filter(
    status: Annotated[
        list[Status] | None, Query(description="Status of the pins; repeatable.")
    ] = None,
    category: CategoryParam = None,
    created_from: CreatedFromParam = None,
    created_to: CreatedToParam = None,
) -> ExportFilter:
    """Which pins to export; without `status` only published ones."""
    return ExportFilter(
        statuses=tuple(dict.fromkeys(status)) if status else (Status.PUBLISHED,),
        categories=tuple(category or ()),
        created_from=created_from,
        created_to=created_to,
    )


ExportFilterDep = Annotated[ExportFilter, Depends(get_export_filter)]


@router.get(
    "/consultations/{slug}/export",
    response_class=FileResponse,
    responses={200: {"content": {spec.media_type: {} for spec in FORMATS.values()}}},
)
def export(
    consultation: PlannerConsultationDep,
    store: StoreDep,
    crs: CrsDep,
    filters: ExportFilterDep,
    fmt: Annotated[Format, Query(alias="format")] = Format.GPKG,
    separator: Literal["comma", "semicolon"] = "comma",
) -> FileResponse:
    """The consultation's pins as one file (GPKG and Shapefile also hold replies and perimeter)."""
    return _download(
        lambda folder: exports.export_file(
            store, consultation, fmt, crs, filters, folder, separator=SEPARATORS[separator]
        )
    )


@router.get(
    "/consultations/{slug}/export/package",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}}, **problems.declare(Busy)},
)
def export_competition_package(
    consultation: PlannerConsultationDep,
    store: StoreDep,
    photos: PhotoStorageDep,
    settings: SettingsDep,
    filters: ExportFilterDep,
    gates: GatesDep,
) -> FileResponse:
    """The competition data package as one ZIP (data, photos, map, README, manifest)."""
    licence = export_package.Licence(settings.data_licence, settings.data_attribution)
    return _download(
        lambda folder: export_package.build(
            store,
            photos,
            consultation,
            filters,
            licence,
            folder,
            theme_limits=themes.limits_of(settings),
            themes_gate=gates.themes,
        )
    )


@public_router.get(
    "/consultations/{slug}/contributions.geojson",
    response_class=FileResponse,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def open_data(
    consultation: PublicConsultationDep, store: StoreDep, settings: SettingsDep
) -> FileResponse:
    """Published pins as an RFC 7946 GeoJSON download, with licence and attribution in it."""
    return _download(
        lambda folder: exports.open_data_geojson(
            store, consultation, folder, settings.data_licence, settings.data_attribution
        )
    )


def _download(make: Callable[[Path], ExportFile]) -> FileResponse:
    """Let `make` write into a fresh temporary folder; the folder goes once the file is sent."""
    folder = Path(tempfile.mkdtemp(prefix="geoapp-export-"))
    try:
        made = make(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        made.path,
        media_type=made.media_type,
        filename=made.filename,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
