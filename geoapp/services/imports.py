"""Importing many pins at once: CSV (lon/lat or E/N in EPSG:25832), GeoJSON, GeoPackage.

A plan checks every row first; a preview shows it, a run creates exactly the rows it accepted.
"""

import csv
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import shapely.geometry
from shapely.geometry.base import BaseGeometry

from geoapp import geo, geofiles
from geoapp.domain import AuditEvent, Consultation, Contribution, Source, Status, TargetKind
from geoapp.errors import DomainError, InvalidInput
from geoapp.i18n import LOCAL_TIME, translate
from geoapp.models import NAME_MAX, TEXT_MAX, ImportResult, ImportRow, RefusedRow
from geoapp.services import audit
from geoapp.services.consultations import require_accepting_entries
from geoapp.services.contributions import located, require_category
from geoapp.services.localise import pick
from geoapp.store.base import Store

ETRS89_UTM32 = "EPSG:25832"
BATCH = 100
# Column names (lower-case) accepted for each value; German spreadsheets use the German ones.
COLUMNS = {
    "lon": ("lon", "lng", "long", "longitude", "laenge", "länge"),
    "lat": ("lat", "latitude", "breite"),
    "east": ("e", "east", "easting", "rechtswert", "ostwert"),
    "north": ("n", "north", "northing", "hochwert", "nordwert"),
    "category": ("category", "kategorie", "thema"),
    "text": ("text", "beitrag", "anmerkung"),
    "author_name": ("author_name", "name"),
    "created_at": ("created_at", "datum", "date"),
}


@dataclass
class Plan:
    """What an import would do: the accepted pins (with their row numbers) and the refusals."""

    consultation: Consultation
    source: Source
    accepted: list[tuple[int, Contribution]] = field(default_factory=list)
    refused: list[RefusedRow] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    """One row as read: a WGS84 geometry (GIS files) or x/y text in `crs` (CSV)."""

    number: int
    values: dict[str, Any]
    geometry: BaseGeometry | None = None
    xy: tuple[str, str] | None = None
    crs: str = "EPSG:4326"


def plan(
    consultation: Consultation,
    data: bytes,
    filename: str,
    source: Source,
    language: str,
    now: datetime | None = None,
) -> Plan:
    """Read the file and check every row; nothing is written yet."""
    now = now or datetime.now(UTC)
    require_accepting_entries(consultation)
    rows = _csv_rows(data) if Path(filename).suffix.lower() == ".csv" else _gis_rows(data, filename)
    result = Plan(consultation, source)
    for row in rows:
        try:
            result.accepted.append((row.number, _contribution(row, consultation, source, now)))
        except DomainError as error:
            reason = translate(error.key, language, **error.params)
            result.refused.append(RefusedRow(row=row.number, reason=reason))
    if not result.accepted and not result.refused:
        raise InvalidInput("import_empty", field="file")
    return result


def preview(result: Plan) -> ImportResult:
    return _result(result, dry_run=True, created=0)


def run(
    store: Store,
    result: Plan,
    actor: str,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Create the accepted pins in batches, each with its audit event; `progress(done, total)`."""
    pins = [c for _, c in result.accepted]
    for start in range(0, len(pins), BATCH):
        batch = pins[start : start + BATCH]
        events = [_event(c, actor, now) for c in batch]
        store.add_contributions(batch, events)
        if progress:
            progress(start + len(batch), len(pins))
    return _result(result, dry_run=False, created=len(pins))


def _result(result: Plan, dry_run: bool, created: int) -> ImportResult:
    create = [
        ImportRow(
            row=number,
            category=c.category,
            text=c.text,
            author_name=c.author_name,
            geometry=c.geometry or {},
        )
        for number, c in result.accepted
    ]
    return ImportResult(dry_run=dry_run, create=create, refused=result.refused, created=created)


def _event(c: Contribution, actor: str, now: datetime) -> AuditEvent:
    changes = {"status": [None, str(c.status)], "source": [None, str(c.source)]}
    return audit.event(TargetKind.CONTRIBUTION, c.id, actor, "imported", changes, now)


def _contribution(
    row: _Row, consultation: Consultation, source: Source, now: datetime
) -> Contribution:
    """The pin a row stands for, or the DomainError that says why not."""
    shape = row.geometry if row.xy is None else _point(*row.xy, row.crs)
    if shape is None:
        raise InvalidInput("import_coordinates_missing")
    location = located(consultation, shapely.geometry.mapping(shape))
    category = _category(str(row.values.get("category") or "").strip(), consultation)
    text = str(row.values.get("text") or "").strip()
    if not text:
        raise InvalidInput("text_empty")
    if len(text) > TEXT_MAX:
        raise InvalidInput("text_too_long", max=TEXT_MAX)
    author_name = str(row.values.get("author_name") or "").strip() or None
    if author_name and len(author_name) > NAME_MAX:
        raise InvalidInput("name_too_long", max=NAME_MAX)
    created_at = _date(row.values.get("created_at"), now)
    return Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry=location,
        category=category,
        text=text,
        status=Status.PUBLISHED,
        created_at=created_at,
        updated_at=now,
        source=source,
        author_name=author_name,
    )


def _category(value: str, consultation: Consultation) -> str:
    """A category key, also recognised by its German label (as written on paper cards)."""
    key = next(
        (
            c.key
            for c in consultation.categories
            if value.lower() in (c.key, pick(c.label, "de").lower())
        ),
        value,
    )
    require_category(consultation, key)
    return key


def _date(value: Any, now: datetime) -> datetime:
    """When the pin was made: a date or date-time from the file (German local time), else now."""
    text = "" if value is None else str(value).strip()
    if not text:
        return now
    try:
        moment = value if isinstance(value, datetime) else _parse_date(text)
    except ValueError:
        raise InvalidInput("import_date_invalid", value=text) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)
    moment = moment.astimezone(UTC)
    if moment > now:
        raise InvalidInput("import_date_invalid", value=text)
    return moment


def _parse_date(text: str) -> datetime:
    """ISO 8601 (2026-01-15, 2026-01-15T18:30) or the German 15.01.2026."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return datetime.strptime(text, "%d.%m.%Y")


def _gis_rows(data: bytes, filename: str) -> Iterator[_Row]:
    for feature in geofiles.read_features(data, filename):
        yield _Row(feature.number, _named(feature.properties), geometry=feature.geometry)


def _csv_rows(data: bytes) -> Iterator[_Row]:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = _named({name: name for name in reader.fieldnames or []})
    projected = "east" in columns and "north" in columns
    if not projected and not ("lon" in columns and "lat" in columns):
        raise InvalidInput("csv_columns_missing", field="file")
    x, y = ("east", "north") if projected else ("lon", "lat")
    crs = ETRS89_UTM32 if projected else "EPSG:4326"
    for row in reader:
        values = {key: row.get(name) for key, name in columns.items()}
        xy = (values[x] or "", values[y] or "")
        # Spreadsheet rows: the header is row 1, so the first data row is row 2.
        yield _Row(reader.line_num, values, xy=xy, crs=crs)


def _point(x: str, y: str, crs: str) -> BaseGeometry | None:
    """A WGS84 point from coordinate text in `crs`; None when both are blank."""
    if not x.strip() and not y.strip():
        return None
    try:
        point = shapely.geometry.Point(_number(x), _number(y))
    except ValueError:
        raise InvalidInput("coordinates_malformed") from None
    return geo.to_wgs84(point, crs)


def _number(value: str) -> float:
    """A number as spreadsheets write it: 7.7128 or, in German, 7,7128."""
    value = value.strip()
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    return float(value)


def _named(raw: dict[str, Any]) -> dict[str, Any]:
    """The values of the columns we know, under our names (matched without case)."""
    lowered = {str(k).strip().lower(): v for k, v in raw.items()}
    found = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in lowered:
                found[key] = lowered[alias]
                break
    return found


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # spreadsheets saved on German Windows
