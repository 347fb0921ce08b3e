"""The one column dictionary of every export: names, Shapefile names, German and English text.

Writers, the data package README and docs/exports.md all read it, so they cannot disagree.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    short: str
    """Shapefile field name (dBase allows at most 10 characters)."""
    de: str
    en: str


CONTRIBUTION_COLUMNS: tuple[Column, ...] = (
    Column("id", "id", "Kennung des Beitrags (UUID)", "Contribution identifier (UUID)"),
    Column("consultation", "consult", "Kurzname der Beteiligung", "Consultation slug"),
    Column("category", "category", "Schlüssel des Themas", "Category key"),
    Column(
        "category_label", "cat_label", "Thema (Bezeichnung, deutsch)", "Category label (German)"
    ),
    Column("text", "text", "Text des Beitrags, unverändert", "Contribution text, unchanged"),
    Column(
        "author_name",
        "author",
        "Öffentlicher Name, falls angegeben (nie E-Mail-Adressen)",
        "Public name if given (never e-mail addresses)",
    ),
    Column(
        "created_at",
        "created",
        "Eingangszeit, ISO 8601 in UTC (z. B. 2026-05-04T09:30:00Z)",
        "Time received, ISO 8601 in UTC (e.g. 2026-05-04T09:30:00Z)",
    ),
    Column(
        "status",
        "status",
        "published, pending, rejected oder hidden (veröffentlicht, wird geprüft, abgelehnt, "
        "ausgeblendet)",
        "published, pending, rejected or hidden",
    ),
    Column(
        "planner_response",
        "response",
        "Antwort der Planung, falls vorhanden",
        "Planners' response, if any",
    ),
    Column("support_count", "supports", "Anzahl Unterstützungen", "Number of supports"),
    Column(
        "reply_count", "replies", "Anzahl veröffentlichter Antworten", "Number of published replies"
    ),
    Column(
        "source",
        "source",
        "Herkunft: online, office, workshop, paper oder import",
        "Source: online, office, workshop, paper or import",
    ),
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
