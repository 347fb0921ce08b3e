"""Exports for GIS, CAD and spreadsheets: which pins, which columns, which format and CRS."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from geoapp import geo
from geoapp.domain import Consultation, Contribution, ContributionQuery, Reply, Status
from geoapp.errors import InvalidInput, NotFound
from geoapp.services.contributions import require_category
from geoapp.services.export_columns import CONTRIBUTION_COLUMNS, REPLY_COLUMNS
from geoapp.services.export_formats import FORMATS, Format, Tables, write_geojson
from geoapp.services.localise import pick
from geoapp.store.base import Store

Progress = Callable[[int], None]
"""Told how many more contributions were read; the CLI draws its progress bar from it."""

PROGRESS_STEP = 1000
PROPERTY_FIELDS = (
    *(c.name for c in CONTRIBUTION_COLUMNS if c.name in Contribution.__dataclass_fields__),
    "photo_id",
)
"""The stored fields the open-data columns are made from: never e-mail or participant."""
POINT_TEXT = ('{"type": "Point"', '{"type":"Point"')
"""How a point's stored GeoJSON text starts."""
READ_FIELDS = (*PROPERTY_FIELDS, "geometry", "min_lon", "min_lat")
"""What an export reads of each contribution."""
REPLY_STATUSES = (Status.PUBLISHED,)
"""Only published replies are exported, the same ones reply_count counts."""


@dataclass(frozen=True)
class ExportFilter:
    """Which contributions go into an export (the consultation is chosen separately)."""

    statuses: tuple[Status, ...] = (Status.PUBLISHED,)
    categories: tuple[str, ...] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None

    def query(self, consultation: Consultation) -> ContributionQuery:
        return ContributionQuery(
            consultation_id=consultation.id,
            statuses=self.statuses,
            categories=self.categories,
            created_from=self.created_from,
            created_to=self.created_to,
        )

    def describe(self) -> dict[str, Any]:
        """The filter as plain values, for READMEs and manifests."""
        return {
            "status": [str(s) for s in self.statuses],
            "category": list(self.categories),
            "created_from": iso_utc(self.created_from) if self.created_from else None,
            "created_to": iso_utc(self.created_to) if self.created_to else None,
        }


@dataclass
class ExportData(Tables):
    """Everything an export writes, in WGS84; writers project it to the CRS they are given."""

    consultation: Consultation
    filters: ExportFilter
    photos: dict[str, str]
    """Contribution id → photo id, for the pins that have a photo."""


@dataclass(frozen=True)
class ExportFile:
    path: Path
    filename: str
    media_type: str


def resolve_crs(fmt: Format, epsg: int | None) -> int:
    """The CRS a format is written in: the requested one, else the format's default."""
    spec = FORMATS[fmt]
    if epsg is None:
        return spec.default_epsg
    if spec.wgs84_only and epsg != geo.WGS84_EPSG:
        raise InvalidInput("crs_wgs84_only", field="crs", format=str(fmt), crs=f"EPSG:{epsg}")
    return epsg


def collect(
    store: Store,
    consultation: Consultation,
    filters: ExportFilter,
    progress: Progress | None = None,
) -> ExportData:
    """Read the contributions (and their replies) that match `filters` into WGS84 tables."""
    if filters.created_from and filters.created_to and filters.created_from >= filters.created_to:
        raise InvalidInput("export_range_invalid", field="created_to")
    for key in filters.categories:
        require_category(consultation, key)
    query = filters.query(consultation)
    # Every column present from the start: an export that matches no pin is an empty table.
    columns: dict[str, list[Any]] = {name: [] for name in READ_FIELDS}
    for batch in store.contribution_columns(query, READ_FIELDS, PROGRESS_STEP):
        for name, values in batch.items():
            columns[name].extend(values)
        if progress is not None:
            progress(len(batch["id"]))
    frame = _contribution_frame(columns, consultation)
    return ExportData(
        consultation=consultation,
        filters=filters,
        contributions=frame,
        replies=_reply_frame(store.replies_of_contributions(query, REPLY_STATUSES)),
        perimeter=_perimeter_frame(consultation),
        photos={i: p for i, p in zip(columns["id"], columns["photo_id"], strict=True) if p},
    )


def count(store: Store, consultation: Consultation, filters: ExportFilter) -> int:
    """How many contributions an export with `filters` holds (for progress bars)."""
    return store.count_contributions(filters.query(consultation))


def export_file(
    store: Store,
    consultation: Consultation,
    fmt: Format,
    epsg: int | None,
    filters: ExportFilter,
    folder: Path,
    separator: str = ",",
    progress: Progress | None = None,
) -> ExportFile:
    """Write one export of `consultation` into `folder`; returns where and what it is."""
    epsg = resolve_crs(fmt, epsg)
    data = collect(store, consultation, filters, progress)
    spec = FORMATS[fmt]
    filename = f"{consultation.slug}{spec.suffix}"
    path = folder / filename
    spec.write(data, epsg, path, separator)
    return ExportFile(path=path, filename=filename, media_type=spec.media_type)


def open_data_geojson(
    store: Store, consultation: Consultation, folder: Path, licence: str, attribution: str
) -> ExportFile:
    """Published pins of a public consultation as RFC 7946 GeoJSON with the licence in it."""
    if not consultation.open_data:
        raise NotFound("open_data_off", slug=consultation.slug)
    data = collect(store, consultation, ExportFilter())
    filename = f"{consultation.slug}-beitraege.geojson"
    path = folder / filename
    write_geojson(
        data.contributions, path, foreign={"license": licence, "attribution": attribution}
    )
    return ExportFile(path=path, filename=filename, media_type=FORMATS[Format.GEOJSON].media_type)


def _contribution_frame(
    columns: dict[str, list[Any]], consultation: Consultation
) -> gpd.GeoDataFrame:
    geometry = _geometries(columns["geometry"], columns["min_lon"], columns["min_lat"])
    frame = pd.DataFrame(
        open_data_columns(columns, consultation), index=pd.RangeIndex(len(geometry))
    )
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=f"EPSG:{geo.WGS84_EPSG}")


def open_data_columns(
    columns: dict[str, list[Any]], consultation: Consultation
) -> dict[str, npt.NDArray[Any]]:
    """The open-data columns (CONTRIBUTION_COLUMNS) from the stored PROPERTY_FIELDS, in order.

    Column by column, vectorised: no object per pin. A column named like a contribution
    field is that field, unchanged (text or None).
    """
    n = len(columns["id"])
    labels = {c.key: pick(c.label, "de") for c in consultation.categories}
    category = pd.Series(columns["category"], dtype=object)
    has_photo = pd.Series(columns["photo_id"], dtype=object).notna().to_numpy()
    ids = np.array(columns["id"], dtype=object)
    derived: dict[str, Any] = {
        "consultation": np.full(n, consultation.slug, dtype=object),
        "category_label": category.map(labels).fillna(category).to_numpy(dtype=object),
        "created_at": _iso_utc_column(columns["created_at"]),
        "support_count": np.array(columns["support_count"], dtype=np.int64),
        "reply_count": np.array(columns["reply_count"], dtype=np.int64),
        "photo": np.where(has_photo, ids + ".jpg", None) if n else np.array([], dtype=object),
        "photo_alt": np.where(has_photo, np.array(columns["photo_alt"], dtype=object), None)
        if n
        else np.array([], dtype=object),
    }
    return {
        c.name: derived[c.name] if c.name in derived else np.array(columns[c.name], dtype=object)
        for c in CONTRIBUTION_COLUMNS
    }


def open_data_properties(
    rows: list[Contribution], consultation: Consultation
) -> list[dict[str, Any]]:
    """Each contribution's open-data columns as a dict: the properties of the open-data GeoJSON."""
    stored = {name: [getattr(r, name) for r in rows] for name in PROPERTY_FIELDS}
    for name in ("status", "source"):
        stored[name] = [str(v) for v in stored[name]]
    columns = open_data_columns(stored, consultation)
    names = list(columns)
    values = [columns[name].tolist() for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def _iso_utc_column(moments: list[Any]) -> npt.NDArray[np.object_]:
    """Stored times (text or datetimes, UTC) as iso_utc does it, for a whole column at once."""
    if not moments:
        return np.array([], dtype=object)
    parsed = pd.to_datetime(pd.Series(moments), utc=True, format="ISO8601")
    return parsed.dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(dtype=object)


def photo_name(contribution_id: str) -> str:
    """The file name of a contribution's photo in exports: named by the contribution."""
    return f"{contribution_id}.jpg"


def _geometries(
    geometries: list[Any], min_lon: list[float | None], min_lat: list[float | None]
) -> npt.NDArray[np.object_]:
    """Shapely geometries: points from their stored coordinates at once, others from GeoJSON."""
    # Stored GeoJSON text is told a point by its start, column-wise; what the driver decoded
    # (dicts) and the other shapes are looked at one by one.
    point = (
        pd.Series(geometries, dtype=object)
        .str.startswith(POINT_TEXT)
        .eq(True)
        .to_numpy(bool, copy=True)
    )
    shapes: dict[int, BaseGeometry] = {}
    for i in np.flatnonzero(~point):
        found = geometries[i]
        found = json.loads(found) if isinstance(found, str) else found
        if isinstance(found, dict) and found.get("type") == "Point":
            point[i] = True
        elif found is not None:
            shapes[i] = shapely.geometry.shape(found)
    out = np.full(len(geometries), None, dtype=object)
    if point.any():
        lon = np.array(min_lon, dtype=np.float64)[point]
        out[point] = shapely.points(lon, np.array(min_lat, dtype=np.float64)[point])
    for i, shape in shapes.items():
        out[i] = shape
    return out


def _perimeter_frame(consultation: Consultation) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {"consultation": [consultation.slug], "title": [pick(consultation.title, "de")]}
    )
    geometry = shapely.geometry.shape(consultation.perimeter)
    return gpd.GeoDataFrame(frame, geometry=[geometry], crs=f"EPSG:{geo.WGS84_EPSG}")


def _reply_frame(replies: list[Reply]) -> pd.DataFrame:
    columns = {
        "id": [r.id for r in replies],
        "contribution_id": [r.contribution_id for r in replies],
        "text": [r.text for r in replies],
        "author_name": [r.author_name for r in replies],
        "created_at": [iso_utc(r.created_at) for r in replies],
        "status": [str(r.status) for r in replies],
    }
    return pd.DataFrame(columns, dtype=object)[[c.name for c in REPLY_COLUMNS]]


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC to the second, with Z: how every export writes times."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
