"""The collections of the OGC API – Features service: what each holds, who may read it, and
its items in pages and in the CRS asked for.

Three kinds of collection:
- `{slug}`: the published pins of a public consultation that is open data, with the
  properties of the open-data GeoJSON (never e-mail or participant data);
- `consultation_perimeters`: the perimeters of the public consultations;
- `planner_{slug}`: every pin of any consultation in every status with the moderation fields
  (still no e-mail), for planners with an API token only.
Slugs consist of lower-case letters, digits and "-", so no slug can take another's name.

Coordinates are WGS84 longitude/latitude inside (CRS84); EPSG:4326 is served in its own axis
order (latitude first), EPSG:25832 as easting/northing.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import numpy as np
import shapely
import shapely.geometry

from geoapp import geo
from geoapp.domain import (
    BBox,
    Consultation,
    Contribution,
    ContributionQuery,
    Keyset,
    Planner,
    Status,
)
from geoapp.errors import BadQuery, NotFound, NotSignedIn
from geoapp.services.consultations import PUBLIC_STATUSES
from geoapp.services.export_columns import PERIMETER_COLUMNS
from geoapp.services.exports import iso_utc, open_data_properties
from geoapp.services.localise import pick
from geoapp.store.base import Store

PERIMETERS = "consultation_perimeters"
PLANNER_PREFIX = "planner_"
PLANNER_FIELDS = ("status_reason", "response_status", "language", "updated_at")
"""What planner collections add to the open-data properties: the moderation fields."""


@dataclass(frozen=True)
class Crs:
    uri: str
    epsg: int
    lat_first: bool = False
    """The CRS's own axis order puts latitude (northing) first; GeoJSON order is x, y."""
    decimals: int = geo.MAX_DECIMALS


CRS84 = Crs("http://www.opengis.net/def/crs/OGC/1.3/CRS84", geo.WGS84_EPSG)
CRSS: tuple[Crs, ...] = (
    CRS84,
    Crs("http://www.opengis.net/def/crs/EPSG/0/4326", geo.WGS84_EPSG, lat_first=True),
    # Millimetres: finer than any pin was placed.
    Crs("http://www.opengis.net/def/crs/EPSG/0/25832", 25832, decimals=3),
)
"""The CRSs every collection is served in; the first is the default and the storage CRS."""
SHORT_NAMES = {"CRS84": CRS84.uri, "OGC:CRS84": CRS84.uri}


def parse_crs(value: str, field: str) -> Crs:
    """The CRS named by its URI (or `EPSG:NNNN`, `CRS84`), else BadQuery listing the choices."""
    text = value.strip()
    prefix, _, code = text.partition(":")
    uri = SHORT_NAMES.get(text.upper())
    if uri is None and prefix.upper() == "EPSG":
        uri = f"http://www.opengis.net/def/crs/EPSG/0/{code}"
    for crs in CRSS:
        if crs.uri == (uri or text):
            return crs
    raise BadQuery(
        "ogc_crs_unsupported", field=field, crs=value, supported=", ".join(c.uri for c in CRSS)
    )


class Kind(StrEnum):
    PINS = "pins"
    PERIMETERS = "perimeters"
    PLANNER = "planner"


@dataclass(frozen=True)
class Collection:
    id: str
    kind: Kind
    title: str
    description: str
    bbox: tuple[float, float, float, float]
    """Lon/lat extent: pins lie inside their consultation's perimeter."""
    interval: tuple[datetime | None, datetime | None]
    consultation: Consultation | None = None

    @property
    def categories(self) -> list[str]:
        return [c.key for c in self.consultation.categories] if self.consultation else []


def list_collections(store: Store, planner: Planner | None, language: str) -> list[Collection]:
    """The collections this caller may read: public ones, with an API token the planners' too."""
    every = store.list_consultations()
    public = sorted((c for c in every if c.status in PUBLIC_STATUSES), key=lambda c: c.slug)
    found = [_pins(c, language) for c in public if c.open_data]
    if public:
        found.append(_perimeters(public, language))
    if planner is not None:
        found += [_planner(c, language) for c in sorted(every, key=lambda c: c.slug)]
    return found


def get_collection(
    store: Store, collection_id: str, planner: Planner | None, language: str
) -> Collection:
    """One collection by id: NotFound if there is none or it is not public, NotSignedIn for a
    planner collection without an API token."""
    if collection_id.startswith(PLANNER_PREFIX):
        if planner is None:
            raise NotSignedIn("api_token_required")
        consultation = store.get_consultation(collection_id.removeprefix(PLANNER_PREFIX))
        if consultation is not None:
            return _planner(consultation, language)
    elif collection_id == PERIMETERS:
        public = [c for c in store.list_consultations() if c.status in PUBLIC_STATUSES]
        if public:
            return _perimeters(sorted(public, key=lambda c: c.slug), language)
    else:
        consultation = store.get_consultation(collection_id)
        if (
            consultation is not None
            and consultation.status in PUBLIC_STATUSES
            and consultation.open_data
        ):
            return _pins(consultation, language)
    raise NotFound("ogc_collection_not_found", collection=collection_id)


def _pins(c: Consultation, language: str) -> Collection:
    return Collection(
        id=c.slug,
        kind=Kind.PINS,
        title=pick(c.title, language),
        description=pick(c.description, language),
        bbox=_bounds(c.perimeter),
        interval=(c.opens_at, None),
        consultation=c,
    )


def _planner(c: Consultation, language: str) -> Collection:
    return Collection(
        id=PLANNER_PREFIX + c.slug,
        kind=Kind.PLANNER,
        title=pick(c.title, language),
        description=pick(c.description, language),
        bbox=_bounds(c.perimeter),
        interval=(c.opens_at, None),
        consultation=c,
    )


def _perimeters(public: list[Consultation], language: str) -> Collection:
    boxes = np.array([_bounds(c.perimeter) for c in public])
    return Collection(
        id=PERIMETERS,
        kind=Kind.PERIMETERS,
        title="",
        description="",
        bbox=(
            float(boxes[:, 0].min()),
            float(boxes[:, 1].min()),
            float(boxes[:, 2].max()),
            float(boxes[:, 3].max()),
        ),
        interval=(min(c.opens_at for c in public), max(c.closes_at for c in public)),
    )


def _bounds(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    min_x, min_y, max_x, max_y = shapely.geometry.shape(geometry).bounds
    return (min_x, min_y, max_x, max_y)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (next) or before (prev) a place in the items' order."""

    at: Keyset
    backwards: bool = False

    def encode(self) -> str:
        raw = json.dumps(
            ["b" if self.backwards else "a", iso_utc_micro(self.at.created_at), self.at.id]
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        """The cursor of a `next`/`prev` link; BadQuery for anything the server did not make."""
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            direction, moment, item_id = json.loads(raw)
            created_at = datetime.fromisoformat(moment)
            if direction not in ("a", "b") or not isinstance(item_id, str) or not created_at.tzinfo:
                raise ValueError(direction)
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
            raise BadQuery("ogc_cursor_invalid", field="cursor") from None
        return cls(Keyset(created_at, item_id), backwards=direction == "b")


def iso_utc_micro(moment: datetime) -> str:
    """ISO 8601 in UTC to the microsecond: a cursor has to name the exact stored time."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ItemsQuery:
    """The items asked for: filters in lon/lat and UTC, page size and start, output CRS."""

    limit: int
    crs: Crs = CRS84
    bbox: BBox | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    categories: Sequence[str] = ()
    cursor: Cursor | None = None


@dataclass(frozen=True)
class ItemsPage:
    features: list[dict[str, Any]]
    number_matched: int
    next: Cursor | None
    prev: Cursor | None
    timestamp: datetime


def items(store: Store, collection: Collection, query: ItemsQuery, now: datetime) -> ItemsPage:
    """One page of the collection's features, matching the filters, in `query.crs`."""
    if collection.kind is Kind.PERIMETERS:
        return _perimeter_items(store, query, now)
    consultation = collection.consultation
    assert consultation is not None
    for key in query.categories:
        if key not in collection.categories:
            raise BadQuery("category_unknown", field="category", category=key)
    filters = ContributionQuery(
        consultation_id=consultation.id,
        statuses=tuple(Status) if collection.kind is Kind.PLANNER else (Status.PUBLISHED,),
        bbox=query.bbox,
        categories=tuple(query.categories),
        created_from=query.created_from,
        created_to=query.created_to,
    )
    cursor = query.cursor
    page = store.page_contributions(
        filters,
        query.limit,
        after=cursor.at if cursor and not cursor.backwards else None,
        before=cursor.at if cursor and cursor.backwards else None,
    )
    rows = page.contributions
    features = pin_features(rows, consultation, collection.kind, query.crs)
    return ItemsPage(
        features=features,
        number_matched=store.count_contributions(filters),
        next=Cursor(_keyset(rows[-1])) if rows and page.more_after else None,
        prev=Cursor(_keyset(rows[0]), backwards=True) if rows and page.more_before else None,
        timestamp=now,
    )


def item(store: Store, collection: Collection, feature_id: str, crs: Crs) -> dict[str, Any]:
    """One feature of the collection by id; NotFound if the collection does not hold it."""
    if collection.kind is Kind.PERIMETERS:
        consultation = store.get_consultation(feature_id)
        if consultation is not None and consultation.status in PUBLIC_STATUSES:
            return _perimeter_features([consultation], crs)[0]
    else:
        found = store.get_contribution(feature_id)
        consultation = collection.consultation
        assert consultation is not None
        if (
            found is not None
            and found.consultation_id == consultation.id
            and (collection.kind is Kind.PLANNER or found.status == Status.PUBLISHED)
        ):
            return pin_features([found], consultation, collection.kind, crs)[0]
    raise NotFound("ogc_feature_not_found", feature=feature_id, collection=collection.id)


def _keyset(contribution: Contribution) -> Keyset:
    return Keyset(contribution.created_at, contribution.id)


def pin_features(
    rows: list[Contribution], consultation: Consultation, kind: Kind, crs: Crs
) -> list[dict[str, Any]]:
    """GeoJSON features of pins: open-data properties (planner collections add moderation)."""
    properties = open_data_properties(rows, consultation)
    if kind is Kind.PLANNER:
        for props, row in zip(properties, rows, strict=True):
            props.update(_planner_fields(row))
    else:
        for props in properties:
            # The open-data GeoJSON names the status too; here every pin is published.
            props.pop("status", None)
    geometries = project([r.geometry for r in rows], crs)
    return [
        {"type": "Feature", "id": r.id, "geometry": g, "properties": p}
        for r, g, p in zip(rows, geometries, properties, strict=True)
    ]


def _planner_fields(row: Contribution) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in PLANNER_FIELDS}
    values["updated_at"] = iso_utc(row.updated_at)
    values["response_status"] = str(row.response_status) if row.response_status else None
    return values


def _perimeter_items(store: Store, query: ItemsQuery, now: datetime) -> ItemsPage:
    public = sorted(
        (c for c in store.list_consultations() if c.status in PUBLIC_STATUSES),
        key=lambda c: (c.opens_at, c.slug),
    )
    matching = [c for c in public if _perimeter_matches(c, query)]
    position = 0
    if query.cursor is not None:
        at = query.cursor.at
        keys = [(c.opens_at, c.slug) for c in matching]
        if query.cursor.backwards:
            end = sum(1 for k in keys if k < (at.created_at, at.id))
            position = max(0, end - query.limit)
        else:
            position = sum(1 for k in keys if k <= (at.created_at, at.id))
    chosen = matching[position : position + query.limit]
    return ItemsPage(
        features=_perimeter_features(chosen, query.crs),
        number_matched=len(matching),
        next=Cursor(Keyset(chosen[-1].opens_at, chosen[-1].slug))
        if chosen and position + len(chosen) < len(matching)
        else None,
        prev=Cursor(Keyset(chosen[0].opens_at, chosen[0].slug), backwards=True)
        if chosen and position > 0
        else None,
        timestamp=now,
    )


def _perimeter_matches(c: Consultation, query: ItemsQuery) -> bool:
    if query.created_to is not None and c.opens_at >= query.created_to:
        return False
    if query.created_from is not None and c.closes_at < query.created_from:
        return False
    if query.bbox is None:
        return True
    box = shapely.geometry.box(
        query.bbox.min_lon, query.bbox.min_lat, query.bbox.max_lon, query.bbox.max_lat
    )
    return bool(shapely.intersects(box, shapely.geometry.shape(c.perimeter)))


def _perimeter_features(chosen: list[Consultation], crs: Crs) -> list[dict[str, Any]]:
    names = [column.name for column in PERIMETER_COLUMNS]
    geometries = project([c.perimeter for c in chosen], crs)
    # As in the exports' perimeter layer: slug and German title.
    return [
        {
            "type": "Feature",
            "id": c.slug,
            "geometry": g,
            "properties": dict(zip(names, (c.slug, pick(c.title, "de")), strict=True)),
        }
        for c, g in zip(chosen, geometries, strict=True)
    ]


def project(geometries: list[dict[str, Any] | None], crs: Crs) -> list[dict[str, Any] | None]:
    """WGS84 GeoJSON geometries in `crs`, axes in the CRS's order, rounded to its precision.

    Points, nearly every feature, go through one vectorised transformation.
    """
    out: list[dict[str, Any] | None] = list(geometries)
    if crs is CRS84:
        return out
    points = [i for i, g in enumerate(geometries) if g is not None and g["type"] == "Point"]
    if points:
        coords = np.array([geometries[i]["coordinates"][:2] for i in points], dtype=np.float64)
        projected = _coordinates(coords, crs)
        for i, (x, y) in zip(points, projected.tolist(), strict=True):
            out[i] = {"type": "Point", "coordinates": [x, y]}
    for i, g in enumerate(geometries):
        if g is not None and g["type"] != "Point":
            shape = shapely.transform(shapely.geometry.shape(g), lambda xy: _coordinates(xy, crs))
            out[i] = json.loads(shapely.to_geojson(shape))
    return out


def _coordinates(lon_lat: np.ndarray, crs: Crs) -> np.ndarray:
    points = shapely.points(lon_lat)
    xy = shapely.get_coordinates(geo.transform(points, geo.WGS84, f"EPSG:{crs.epsg}"))
    if crs.lat_first:
        xy = xy[:, ::-1]
    return np.round(xy, crs.decimals)


def bbox_to_wgs84(values: Sequence[float], crs: Crs) -> BBox:
    """A bbox given in `crs` (its axis order) as the lon/lat box that covers it."""
    x0, y0, x1, y1 = values
    if crs.lat_first:
        x0, y0, x1, y1 = y0, x0, y1, x1
    if crs.epsg == geo.WGS84_EPSG:
        return BBox(x0, y0, x1, y1)
    # The edges bend when projected: 33 points along each of them, so that the lon/lat box
    # covers the whole area asked for.
    xs, ys = np.linspace(x0, x1, 33), np.linspace(y0, y1, 33)
    edges = np.concatenate(
        [
            np.column_stack([xs, np.full_like(xs, y0)]),
            np.column_stack([xs, np.full_like(xs, y1)]),
            np.column_stack([np.full_like(ys, x0), ys]),
            np.column_stack([np.full_like(ys, x1), ys]),
        ]
    )
    lon_lat = shapely.get_coordinates(geo.transform(shapely.points(edges), f"EPSG:{crs.epsg}"))
    if not np.isfinite(lon_lat).all():  # outside the projection's area of use
        raise BadQuery("ogc_bbox_invalid", field="bbox")
    bounds = (*lon_lat.min(axis=0).tolist(), *lon_lat.max(axis=0).tolist())
    return BBox(*bounds)
