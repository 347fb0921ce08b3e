"""One dependency per query concern of the OGC API: each parses its parameter and refuses a
value it cannot read with a 400 problem naming what to fix.

Parameters are read as plain strings, so that the refusal is ours (400, in the request's
language) rather than the framework's validation error.
"""

import math
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from geoapp.api.deps import SettingsDep, StoreDep
from geoapp.domain import BBox, Planner
from geoapp.errors import BadQuery
from geoapp.services import api_tokens, ogc


class Representation(StrEnum):
    JSON = "json"
    HTML = "html"


HTML_TYPES = ("text/html", "application/xhtml+xml")


def get_representation(
    request: Request,
    f: Annotated[str | None, Query(description="json or html; else the Accept header")] = None,
) -> Representation:
    """JSON or HTML: `f` first, else the Accept type with the highest q (JSON on a tie)."""
    if f is not None:
        try:
            return Representation(f.strip().lower())
        except ValueError:
            raise BadQuery("ogc_format_unknown", field="f", f=f) from None
    best_html = best_json = 0.0
    for part in request.headers.get("accept", "").split(","):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        if media in HTML_TYPES:
            best_html = max(best_html, quality)
        elif media.endswith("json") or media in ("*/*", "application/*"):
            best_json = max(best_json, quality)
    return Representation.HTML if best_html > best_json else Representation.JSON


def get_crs(
    crs: Annotated[str | None, Query(description="CRS of the response (URI)")] = None,
) -> ogc.Crs:
    return ogc.CRS84 if crs is None else ogc.parse_crs(crs, "crs")


def get_limit(
    settings: SettingsDep,
    limit: Annotated[str | None, Query(description="Features per page")] = None,
) -> int:
    if limit is None:
        return settings.ogc_default_limit
    text = limit.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise BadQuery("ogc_limit_invalid", field="limit", max=settings.ogc_max_limit)
    if int(text) > settings.ogc_max_limit:
        raise BadQuery("ogc_limit_too_large", field="limit", max=settings.ogc_max_limit)
    return int(text)


def get_bbox(
    bbox: Annotated[str | None, Query(description="minx,miny,maxx,maxy in bbox-crs")] = None,
    bbox_crs: Annotated[
        str | None, Query(alias="bbox-crs", description="CRS of bbox (URI); default CRS84")
    ] = None,
) -> BBox | None:
    """The bbox as a lon/lat box; 6 numbers (with heights) are read as their 2D box."""
    crs = ogc.CRS84 if bbox_crs is None else ogc.parse_crs(bbox_crs, "bbox-crs")
    if bbox is None:
        return None
    try:
        values = [float(v) for v in bbox.split(",")]
    except ValueError:
        raise BadQuery("ogc_bbox_invalid", field="bbox") from None
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise BadQuery("ogc_bbox_invalid", field="bbox")
    x0, y0, x1, y1 = values
    if x0 > x1 or y0 > y1:
        raise BadQuery("ogc_bbox_invalid", field="bbox")
    box = ogc.bbox_to_wgs84(values, crs)
    if crs.epsg == ogc.CRS84.epsg and not (
        -180 <= box.min_lon <= box.max_lon <= 180 and -90 <= box.min_lat <= box.max_lat <= 90
    ):
        raise BadQuery("ogc_bbox_invalid", field="bbox")
    return box


def get_datetime(
    value: Annotated[
        str | None,
        Query(alias="datetime", description="An instant or interval (RFC 3339, '..' open)"),
    ] = None,
) -> tuple[datetime | None, datetime | None]:
    """The time filter as [from, to) in UTC; an interval's end and an instant are included."""
    if value is None:
        return None, None
    parts = value.split("/")
    if len(parts) > 2:
        raise BadQuery("ogc_datetime_invalid", field="datetime")
    if len(parts) == 1:
        instant = _moment(parts[0])
        return instant, instant + timedelta(microseconds=1)
    start = None if parts[0] in ("", "..") else _moment(parts[0])
    end = None if parts[1] in ("", "..") else _moment(parts[1])
    if start is not None and end is not None and start > end:
        raise BadQuery("ogc_datetime_invalid", field="datetime")
    return start, None if end is None else end + timedelta(microseconds=1)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise BadQuery("ogc_datetime_invalid", field="datetime") from None
    if moment.tzinfo is None:
        raise BadQuery("ogc_datetime_invalid", field="datetime")
    return moment.astimezone(UTC)


def get_cursor(
    cursor: Annotated[str | None, Query(description="From a next or prev link")] = None,
) -> ogc.Cursor | None:
    return None if cursor is None else ogc.Cursor.decode(cursor)


def get_categories(
    category: Annotated[
        str | None, Query(description="Category key(s), comma-separated (queryable)")
    ] = None,
) -> list[str]:
    if category is None:
        return []
    return [key.strip() for key in category.split(",") if key.strip()]


def get_token_planner(
    store: StoreDep,
    authorization: Annotated[str | None, Header(description="Bearer <API token>")] = None,
) -> Planner | None:
    """The planner of the API token sent, None without one; a dead token is refused (401)."""
    return api_tokens.planner_of(store, authorization)


RepresentationDep = Annotated[Representation, Depends(get_representation)]
OgcCrsDep = Annotated[ogc.Crs, Depends(get_crs)]
LimitDep = Annotated[int, Depends(get_limit)]
OgcBBoxDep = Annotated[BBox | None, Depends(get_bbox)]
DatetimeDep = Annotated[tuple[datetime | None, datetime | None], Depends(get_datetime)]
CursorDep = Annotated[ogc.Cursor | None, Depends(get_cursor)]
CategoriesDep = Annotated[list[str], Depends(get_categories)]
TokenPlannerDep = Annotated[Planner | None, Depends(get_token_planner)]
