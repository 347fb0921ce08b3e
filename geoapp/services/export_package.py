"""The competition data package: one ZIP an office can unpack and use without asking back."""

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from geoapp.domain import Consultation, ThemeTextQuery
from geoapp.models import Themes
from geoapp.security.work_gates import WorkGate
from geoapp.services import overview_map, themes
from geoapp.services.export_columns import (
    CONTRIBUTION_COLUMNS,
    COORDINATE_COLUMNS,
    PERIMETER_COLUMNS,
    REPLY_COLUMNS,
    markdown_table,
)
from geoapp.services.export_formats import (
    ETRS89_UTM32,
    FORMULA_STARTS,
    Tables,
    add_to_zip,
    open_zip,
    projected,
    spreadsheet_table,
    write_csv,
    write_dxf,
    write_geojson,
    write_gpkg,
)
from geoapp.services.exports import (
    ExportData,
    ExportFile,
    ExportFilter,
    Progress,
    collect,
    iso_utc,
    photo_name,
)
from geoapp.services.localise import pick
from geoapp.services.markdown_text import Code, Markdown, code_span, environment
from geoapp.store.base import Store
from geoapp.store.photos import PhotoStorage

MANIFEST = "manifest.json"
TEXTS = environment(Path(__file__).parent / "package_texts")
PHOTO_VARIANT = "large"


@dataclass(frozen=True)
class Licence:
    """What users of the data must know: the licence and the attribution to give."""

    licence: str
    attribution: str


def build(
    store: Store,
    photos: PhotoStorage | None,
    consultation: Consultation,
    filters: ExportFilter,
    licence: Licence,
    folder: Path,
    progress: Progress | None = None,
    now: datetime | None = None,
    theme_limits: themes.ThemeLimits = themes.DEFAULT_LIMITS,
    themes_gate: WorkGate | None = None,
) -> ExportFile:
    """Write `<slug>-wettbewerb.zip` into `folder`: data, photos, map, themes, README, manifest."""
    now = now or datetime.now(UTC)
    data = collect(store, consultation, filters, progress)
    theme_query = _theme_query(consultation, filters, theme_limits.max_texts)
    found = themes.of_query(store, consultation, theme_query, theme_limits, themes_gate)
    # The package's CAD, GeoPackage and map are in EPSG:25832: project the layers once.
    utm = Tables(
        projected(data.contributions, ETRS89_UTM32),
        data.replies,
        projected(data.perimeter, ETRS89_UTM32),
    )
    filename = f"{consultation.slug}-wettbewerb.zip"
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        root = Path(scratch) / consultation.slug
        root.mkdir()
        job = _Job(data, utm, photos, licence, found)
        for file in FILES:
            if file.write is not None:
                file.write(job, root / file.name.rstrip("/"))
        counts = {
            "contributions": len(data.contributions),
            "replies": len(data.replies),
            "photos": sum(1 for _ in (root / "fotos").glob("*.jpg")),
        }
        for language, name in (("de", "LIESMICH.md"), ("en", "README.md")):
            text = readme(data, counts, licence, now, language, found)
            (root / name).write_text(text, encoding="utf-8")
        _write_manifest(root, data, counts, licence, now)
        path = folder / filename
        _zip(root, path)
    return ExportFile(path=path, filename=filename, media_type="application/zip")


@dataclass(frozen=True)
class _Job:
    """What the writers of the package's files need."""

    data: ExportData
    utm: Tables
    """The data's layers in EPSG:25832."""
    photos: PhotoStorage | None
    licence: Licence
    themes: Themes


@dataclass(frozen=True)
class PackageFile:
    """One file (or folder) of the package: its name, what it is, and how it is written."""

    name: str
    de: str
    en: str
    write: Callable[[_Job, Path], None] | None
    """None: written after the others (the manifest, which hashes them)."""


def _overview(job: _Job, path: Path) -> None:
    overview_map.draw(
        job.data.consultation,
        job.utm.contributions,
        job.utm.perimeter,
        path,
        job.licence.attribution,
    )


def _theme_query(consultation: Consultation, filters: ExportFilter, limit: int) -> ThemeTextQuery:
    """The package's own pins: its themes count exactly what its data files hold."""
    return ThemeTextQuery(
        consultation.id,
        statuses=filters.statuses,
        categories=filters.categories,
        created_from=filters.created_from,
        created_to=filters.created_to,
        limit=limit,
    )


def _theme_groups(found: Themes) -> pd.DataFrame:
    rows = [
        {
            "language": lang.language,
            "group": group.number,
            "pins": group.count,
            "terms": " · ".join(group.terms),
            "representative_id": group.representative.id,
            "representative_text": group.representative.text,
        }
        for lang in found.languages
        for group in lang.groups
    ]
    return pd.DataFrame(rows, columns=list(THEME_GROUP_COLUMNS))


def _theme_members(found: Themes) -> pd.DataFrame:
    rows = [
        {"contribution_id": member.id, "language": lang.language, "group": group.number}
        for lang in found.languages
        for group in lang.groups
        for member in group.pins
    ]
    return pd.DataFrame(rows, columns=list(THEME_MEMBER_COLUMNS))


def _theme_terms(found: Themes) -> pd.DataFrame:
    rows = [
        {"language": lang.language, "term": term.text, "pins": term.count}
        for lang in found.languages
        for term in lang.terms
    ]
    return pd.DataFrame(rows, columns=list(THEME_TERM_COLUMNS))


def _photos(job: _Job, folder: Path) -> None:
    if job.photos is None or not job.data.photos:
        return
    folder.mkdir()
    for contribution_id, photo_id in job.data.photos.items():
        # Stored photos were re-encoded from pixels on upload: no EXIF, GPS or XMP is left.
        image = job.photos.get(photo_id, PHOTO_VARIANT)
        if image is not None:
            (folder / photo_name(contribution_id)).write_bytes(image)


THEME_GROUP_COLUMNS = {
    "language": ("Sprache des Formulars", "Language of the form"),
    "group": ("Nummer der Gruppe (1 = größte der Sprache)", "Group number (1 = largest)"),
    "pins": ("Beiträge in der Gruppe", "Contributions in the group"),
    "terms": ("Kennzeichnende Begriffe", "Characteristic terms"),
    "representative_id": ("Kennung des typischen Beitrags", "Id of the typical contribution"),
    "representative_text": ("Text des typischen Beitrags", "Text of the typical contribution"),
}
THEME_MEMBER_COLUMNS = {
    "contribution_id": ("Kennung des Beitrags", "Contribution id"),
    "language": ("Sprache des Formulars", "Language of the form"),
    "group": ("Nummer der Gruppe in themen.csv", "Group number in themen.csv"),
}
THEME_TERM_COLUMNS = {
    "language": ("Sprache des Formulars", "Language of the form"),
    "term": ("Begriff, wie meist geschrieben", "Term as written most often"),
    "pins": ("Beiträge, die ihn enthalten", "Contributions containing it"),
}
"""The themes tables' columns with their meaning in German and English."""


FILES: tuple[PackageFile, ...] = (
    PackageFile(
        "beteiligung.gpkg",
        "GeoPackage, EPSG:25832: Layer contributions, replies (ohne Geometrie), perimeter",
        "GeoPackage, EPSG:25832: layers contributions, replies (no geometry), perimeter",
        lambda job, path: write_gpkg(job.utm, ETRS89_UTM32, path),
    ),
    PackageFile(
        "beitraege.geojson",
        "Beiträge als GeoJSON (RFC 7946), WGS84",
        "Contributions as GeoJSON (RFC 7946), WGS84",
        lambda job, path: write_geojson(job.data.contributions, path),
    ),
    PackageFile(
        "gebiet.geojson",
        "Gebiet der Beteiligung, WGS84",
        "Consultation perimeter, WGS84",
        lambda job, path: write_geojson(job.data.perimeter, path),
    ),
    PackageFile(
        "beitraege.dxf",
        "CAD, EPSG:25832: ein Layer je Thema, Beschriftung mit der Kennung",
        "CAD, EPSG:25832: one layer per category, labelled with the id",
        lambda job, path: write_dxf(job.utm.contributions, ETRS89_UTM32, path),
    ),
    PackageFile(
        "beitraege.csv",
        "Tabelle (UTF-8 mit BOM, Komma): lon/lat WGS84 und x/y EPSG:25832",
        "Table (UTF-8 with BOM, comma): lon/lat WGS84 and x/y EPSG:25832",
        lambda job, path: write_csv(
            spreadsheet_table(job.data.contributions, ETRS89_UTM32, job.utm.contributions), path
        ),
    ),
    PackageFile(
        "antworten.csv",
        "Antworten, verknüpft über contribution_id",
        "Replies, linked by contribution_id",
        lambda job, path: write_csv(job.data.replies, path),
    ),
    PackageFile(
        "themen.csv",
        "Gruppen ähnlicher Beiträge je Sprache: Begriffe, Anzahl, typischer Beitrag",
        "Groups of similar contributions per language: terms, count, typical contribution",
        lambda job, path: write_csv(_theme_groups(job.themes), path),
    ),
    PackageFile(
        "themen_beitraege.csv",
        "Welcher Beitrag in welcher Gruppe ist, verknüpft über contribution_id",
        "Which contribution is in which group, linked by contribution_id",
        lambda job, path: write_csv(_theme_members(job.themes), path),
    ),
    PackageFile(
        "begriffe.csv",
        "Häufige Begriffe und kurze Wendungen je Sprache, mit der Zahl der Beiträge",
        "Frequent terms and short phrases per language, with the number of contributions",
        lambda job, path: write_csv(_theme_terms(job.themes), path),
    ),
    PackageFile(
        "uebersicht.png",
        "Übersichtskarte: Gebiet und Beiträge nach Thema",
        "Overview map: perimeter and contributions by category",
        _overview,
    ),
    PackageFile(
        "fotos/",
        "Fotos ohne Metadaten, benannt nach der Kennung des Beitrags",
        "Photos without metadata, named by contribution id",
        _photos,
    ),
    PackageFile(MANIFEST, "SHA-256 jeder Datei", "SHA-256 of every file", None),
)
"""The package's files in the order they are written and described in its README."""


def readme(
    data: ExportData,
    counts: dict[str, int],
    licence: Licence,
    now: datetime,
    language: str,
    found: Themes,
) -> str:
    """The data dictionary of the package in German ("de") or English.

    A template of ours with the values as data: every text a planner or resident typed is
    escaped as Markdown, so it shows as typed and never becomes a link, image or HTML.
    """
    consultation = data.consultation
    filters = data.filters.describe()
    by_category = data.contributions["category"].value_counts()
    language = "de" if language == "de" else "en"
    return TEXTS.get_template(f"readme.{language}.md").render(
        title=pick(consultation.title, language),
        question=pick(consultation.question, language),
        slug=Code(consultation.slug),
        exported_at=iso_utc(now),
        counts=counts,
        filters=Code(
            f"status={','.join(filters['status'])}; "
            f"category={','.join(filters['category']) or '*'}; "
            f"created_from={filters['created_from'] or '*'}; "
            f"created_to={filters['created_to'] or '*'}"
        ),
        categories=[
            {
                "label": pick(c.label, language),
                "key": Code(c.key),
                "count": int(by_category.get(c.key, 0)),
            }
            for c in consultation.categories
        ],
        files=[{"name": Code(f.name), "de": f.de, "en": f.en} for f in FILES],
        contribution_columns=Markdown(
            markdown_table(CONTRIBUTION_COLUMNS + COORDINATE_COLUMNS, language)
        ),
        reply_columns=Markdown(markdown_table(REPLY_COLUMNS, language)),
        perimeter_columns=Markdown(markdown_table(PERIMETER_COLUMNS, language)),
        formula_starts=Markdown(_starts()),
        themes=found,
        theme_groups=[
            {
                "language": lang.language,
                "number": group.number,
                "count": group.count,
                "terms": ", ".join(group.terms),
                "text": group.representative.text,
            }
            for lang in found.languages
            for group in lang.groups
        ],
        theme_tables=[
            {"file": Code(name), "columns": Markdown(_columns_table(columns, language))}
            for name, columns in (
                ("themen.csv", THEME_GROUP_COLUMNS),
                ("themen_beitraege.csv", THEME_MEMBER_COLUMNS),
                ("begriffe.csv", THEME_TERM_COLUMNS),
            )
        ],
        licence=licence.licence,
        attribution=licence.attribution,
    )


def _columns_table(columns: dict[str, tuple[str, str]], language: str) -> str:
    """Our constant column names and meanings as a Markdown table."""
    index = 0 if language == "de" else 1
    head = ("Spalte", "Bedeutung") if language == "de" else ("Column", "Meaning")
    lines = [f"| {head[0]} | {head[1]} |", "| --- | --- |"]
    lines += [f"| {code_span(name)} | {texts[index]} |" for name, texts in columns.items()]
    return "\n".join(lines)


def _starts() -> str:
    names = {"\t": "Tab", "\r": "CR"}
    return ", ".join(code_span(names.get(c, c)) for c in FORMULA_STARTS)


def _write_manifest(
    root: Path, data: ExportData, counts: dict[str, int], licence: Licence, now: datetime
) -> None:
    files = [
        {
            "path": path.relative_to(root).as_posix(),
            "bytes": path.stat().st_size,
            "sha256": _sha256(path),
        }
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]
    manifest: dict[str, Any] = {
        "consultation": data.consultation.slug,
        "exported_at": iso_utc(now),
        "filters": data.filters.describe(),
        "counts": counts,
        "crs": {"projected": f"EPSG:{ETRS89_UTM32}", "geographic": "EPSG:4326"},
        "licence": licence.licence,
        "attribution": licence.attribution,
        "files": files,
    }
    (root / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _zip(root: Path, path: Path) -> None:
    with open_zip(path) as archive:
        for item in sorted(root.rglob("*")):
            if item.is_file():
                add_to_zip(archive, item, (Path(root.name) / item.relative_to(root)).as_posix())
