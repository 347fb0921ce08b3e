"""The one column dictionary of every export: names, Shapefile names, German and English text.

A contribution field's column is declared with the field (`ExportColumn` in
`ContributionForPlanner`), computed columns here. Writers, the data package README and
docs/exports.md all read it, so they cannot disagree.
"""

from dataclasses import dataclass

from pydantic import BaseModel

from geoapp.models import ContributionForPlanner, ExportColumn


@dataclass(frozen=True)
class Column:
    name: str
    short: str
    """Shapefile field name (dBase allows at most 10 characters)."""
    de: str
    en: str


CATEGORY_LABEL = Column(
    "category_label", "cat_label", "Thema (Bezeichnung, deutsch)", "Category label (German)"
)
PHOTO_COLUMNS: tuple[Column, ...] = (
    Column(
        "photo",
        "photo",
        "Dateiname des Fotos im Ordner photos/ (Name = Kennung des Beitrags), sonst leer",
        "Photo file name in the photos/ folder (named by contribution id), else empty",
    ),
    Column(
        "photo_alt",
        "photo_alt",
        "Beschreibung des Fotos (Alternativtext), falls angegeben",
        "Description of the photo (alternative text), if given",
    ),
)


def _exported_fields(
    model: type[BaseModel], after: dict[str, tuple[Column, ...]]
) -> tuple[Column, ...]:
    """The fields of `model` marked with an `ExportColumn`, in declared order, each followed
    by the computed columns `after` puts behind it."""
    columns: list[Column] = []
    for name, field in model.model_fields.items():
        columns += [
            Column(name, m.short, m.de, m.en) for m in field.metadata if isinstance(m, ExportColumn)
        ]
        columns += after.get(name, ())
    return tuple(columns)


CONTRIBUTION_COLUMNS: tuple[Column, ...] = _exported_fields(
    ContributionForPlanner, after={"category": (CATEGORY_LABEL,), "source": PHOTO_COLUMNS}
)
"""The planners' contribution fields with an `ExportColumn`, and the computed columns."""

COORDINATE_COLUMNS: tuple[Column, ...] = (
    Column("lon", "lon", "Längengrad, WGS84 (EPSG:4326)", "Longitude, WGS84 (EPSG:4326)"),
    Column("lat", "lat", "Breitengrad, WGS84 (EPSG:4326)", "Latitude, WGS84 (EPSG:4326)"),
    Column(
        "x",
        "x",
        "Rechtswert im gewählten Koordinatensystem (nur wenn nicht WGS84)",
        "Easting in the chosen CRS (only when it is not WGS84)",
    ),
    Column(
        "y",
        "y",
        "Hochwert im gewählten Koordinatensystem (nur wenn nicht WGS84)",
        "Northing in the chosen CRS (only when it is not WGS84)",
    ),
)

REPLY_COLUMNS: tuple[Column, ...] = (
    Column("id", "id", "Kennung der Antwort (UUID)", "Reply identifier (UUID)"),
    Column(
        "contribution_id",
        "contrib_id",
        "Kennung des Beitrags, auf den sie antwortet",
        "Identifier of the contribution it answers",
    ),
    Column("text", "text", "Text der Antwort, unverändert", "Reply text, unchanged"),
    Column("author_name", "author", "Öffentlicher Name, falls angegeben", "Public name if given"),
    Column("created_at", "created", "Eingangszeit, ISO 8601 in UTC", "Time received, ISO 8601 UTC"),
    Column("status", "status", "Status der Antwort", "Reply status"),
)

PERIMETER_COLUMNS: tuple[Column, ...] = (
    Column("consultation", "consult", "Kurzname der Beteiligung", "Consultation slug"),
    Column("title", "title", "Titel der Beteiligung (deutsch)", "Consultation title (German)"),
)


def short_names(columns: tuple[Column, ...]) -> dict[str, str]:
    """Column name → Shapefile field name."""
    return {c.name: c.short for c in columns}


def markdown_table(columns: tuple[Column, ...], language: str) -> str:
    """The columns as a Markdown table in German ("de") or English."""
    head = (
        ("Spalte", "Shapefile", "Bedeutung")
        if language == "de"
        else ("Column", "Shapefile", "Meaning")
    )
    lines = [f"| {' | '.join(head)} |", "| --- | --- | --- |"]
    lines += [
        f"| `{c.name}` | `{c.short}` | {c.de if language == 'de' else c.en} |" for c in columns
    ]
    return "\n".join(lines)


TABLES: tuple[tuple[str, str, tuple[Column, ...]], ...] = (
    ("Beiträge", "Contribution columns", CONTRIBUTION_COLUMNS + COORDINATE_COLUMNS),
    ("Antworten", "Reply columns", REPLY_COLUMNS),
    ("Gebiet", "Perimeter columns", PERIMETER_COLUMNS),
)
"""Every layer of the exports with its German and English heading."""


def dictionary(language: str) -> str:
    """Every layer's columns as Markdown, headed, in German ("de") or English."""
    return "\n\n".join(
        f"### {de if language == 'de' else en}\n\n{markdown_table(columns, language)}"
        for de, en, columns in TABLES
    )
