"""Posters with a QR code that opens the form at one spot: the row, its link, and the PDF.

The poster's fixed words come from our own catalogs (geoapp/i18n); what planners typed (title,
question) and the office's contact are data, written as text into the PDF, never parsed.
"""

import base64
import io
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import segno
import shapely.geometry
from fpdf import FPDF
from matplotlib.figure import Figure

from geoapp import geo
from geoapp.config import Settings
from geoapp.domain import Consultation, ConsultationStatus, Poster
from geoapp.errors import InvalidInput, NotAllowedNow, NotConfigured, NotFound
from geoapp.i18n import LOCAL_TIME, SOURCE_LANGUAGE, translate
from geoapp.models import PosterCreate, PosterList, PosterOut
from geoapp.services.contributions import located
from geoapp.services.export_formats import ETRS89_UTM32
from geoapp.services.localise import pick
from geoapp.services.overview_map import north_arrow, scale_bar
from geoapp.services.reference import ReferenceLayers
from geoapp.store.base import Store

FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
"""DejaVu covers Latin (Turkish, Polish), Cyrillic (Ukrainian, Russian) and Arabic."""
RTL = {"ar"}
SCRIPTS = {"ar": "arab", "uk": "cyrl", "ru": "cyrl"}
BLUE = (11, 87, 208)
MAP_HALF_WIDTH_M = 250
"""The poster's map shows the spot with this many metres on every side."""
KEY_BYTES = 5  # 40 bits, eight base32 letters: short on paper, not guessable in bulk


@dataclass(frozen=True)
class PosterSettings:
    """What a deployment says about its posters: where residents reach it, whom to ask."""

    public_url: str | None
    contact: str
    font_dir: Path
    languages: tuple[str, ...]

    @classmethod
    def of(cls, settings: Settings) -> "PosterSettings":
        return cls(
            settings.public_url,
            settings.poster_contact,
            settings.poster_font_dir,
            settings.languages,
        )

    def base_url(self) -> str:
        """The public address, or NotConfigured: a poster without it would lead nowhere."""
        if not self.public_url:
            raise NotConfigured("poster_public_url_missing")
        return self.public_url


def create(
    store: Store,
    consultation: Consultation,
    layers: ReferenceLayers,
    request: PosterCreate,
    settings: PosterSettings,
    actor: str,
    now: datetime,
) -> Poster:
    """Store a new poster at the place or point asked for (inside the perimeter)."""
    settings.base_url()
    if consultation.status in (ConsultationStatus.CLOSED, ConsultationStatus.ARCHIVED) or (
        now >= consultation.closes_at
    ):
        raise NotAllowedNow("poster_consultation_over")
    if request.language not in settings.languages:
        raise InvalidInput(
            "poster_language_unknown",
            field="language",
            languages=", ".join(settings.languages),
        )
    place, geometry = _spot(layers, request)
    lon, lat = located(consultation, geometry)["coordinates"]
    poster = Poster(
        key=new_key(),
        consultation_id=consultation.id,
        lon=lon,
        lat=lat,
        size=request.size,
        language=request.language,
        created_at=now,
        created_by=actor,
        place=place,
    )
    store.add_poster(poster)
    return poster


def new_key() -> str:
    """A short opaque poster key: eight lower-case base32 letters and digits."""
    return base64.b32encode(secrets.token_bytes(KEY_BYTES)).decode("ascii").lower()


def _spot(layers: ReferenceLayers, request: PosterCreate) -> tuple[str | None, Any]:
    """The place's name and point, or (None, the point given); exactly one must be given."""
    if (request.place is None) == (request.geometry is None):
        raise InvalidInput("poster_place_or_point", field="place")
    if request.place is None:
        return None, request.geometry
    wanted = request.place.strip().casefold()
    for feature in layers.places["features"]:
        props = feature["properties"]
        names = {str(feature.get("id", "")), props["label"], props["label_en"]}
        if wanted in {name.casefold() for name in names}:
            return props["label"], feature["geometry"]
    names = ", ".join(f["properties"]["label"] for f in layers.places["features"])
    raise InvalidInput("poster_place_unknown", field="place", places=names)


def find(store: Store, consultation: Consultation, key: str) -> Poster:
    """The consultation's poster with `key` (404 otherwise)."""
    poster = store.get_poster(key)
    if poster is None or poster.consultation_id != consultation.id:
        raise NotFound("poster_not_found")
    return poster


def link(base_url: str, consultation: Consultation, poster: Poster) -> str:
    """The deep link of the QR code: the resident page, this consultation, the pin placed."""
    return (
        f"{base_url}/?c={quote(consultation.slug)}"
        f"&at={poster.lon:.6f},{poster.lat:.6f}&via=poster-{poster.key}"
    )


def short_link(base_url: str, poster: Poster) -> str:
    """The address printed under the code for typing: it redirects to the deep link."""
    return f"{base_url}/p/{poster.key}"


def to_out(
    base_url: str | None, consultation: Consultation, poster: Poster, contributions: int
) -> PosterOut:
    """The poster as planners see it; without a public address it has no link yet."""
    return PosterOut(
        key=poster.key,
        place=poster.place,
        coordinates=(poster.lon, poster.lat),
        size=poster.size,
        language=poster.language,
        link=None if base_url is None else link(base_url, consultation, poster),
        short_link=None if base_url is None else short_link(base_url, poster),
        pdf_url=f"/api/planner/consultations/{quote(consultation.slug)}/posters/{poster.key}.pdf",
        created_at=poster.created_at,
        created_by=poster.created_by,
        contributions=contributions,
    )


def listed(store: Store, consultation: Consultation, settings: PosterSettings) -> PosterList:
    """The consultation's posters, oldest first, each with the pins it brought."""
    counts = store.pins_per_poster(consultation.id)
    return PosterList(
        ready=settings.public_url is not None,
        posters=[
            to_out(settings.public_url, consultation, poster, counts.get(poster.key, 0))
            for poster in store.list_posters(consultation.id)
        ],
    )


def render(
    consultation: Consultation,
    poster: Poster,
    layers: ReferenceLayers,
    settings: PosterSettings,
) -> bytes:
    """The poster as a one-page PDF (A4 or A3) with the fonts embedded."""
    base_url = settings.base_url()
    pdf = _Poster(poster, settings.font_dir)
    pdf.draw(consultation, layers, link(base_url, consultation, poster), settings.contact)
    pdf.draw_short_link(_without_scheme(short_link(base_url, poster)))
    return bytes(pdf.output())


def _without_scheme(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


class _Poster(FPDF):
    """The poster's layout in millimetres, drawn for A4 and scaled for A3."""

    def __init__(self, poster: Poster, font_dir: Path) -> None:
        super().__init__(orientation="portrait", unit="mm", format=poster.size.value)
        self.poster = poster
        self.scale = self.w / 210
        self.margin = 14 * self.scale
        self.set_auto_page_break(False)
        self.set_margins(self.margin, self.margin, self.margin)
        for style, name in FONTS.items():
            path = font_dir / name
            if not path.is_file():
                raise NotConfigured("poster_font_missing", path=str(path))
            self.add_font("DejaVu", style, str(path))
        self.languages = [SOURCE_LANGUAGE]
        if poster.language != SOURCE_LANGUAGE:
            self.languages.append(poster.language)
        self.set_lang(SOURCE_LANGUAGE)
        self.add_page()

    # text helpers

    def _shape_for(self, language: str) -> None:
        """Shape text as `language` is written (joined Arabic letters, right to left)."""
        self.set_text_shaping(
            use_shaping_engine=True,
            direction="rtl" if language in RTL else "ltr",
            script=SCRIPTS.get(language),
            language=language,
        )

    def text_block(
        self,
        text: str,
        language: str,
        size: float,
        *,
        bold: bool = False,
        colour: tuple[int, int, int] = (26, 26, 26),
        width: float | None = None,
        max_lines: int = 4,
    ) -> None:
        """`text` wrapped into `width`, shrunk (down to 60 %) to fit `max_lines`."""
        self._shape_for(language)
        width = width or self.w - 2 * self.margin
        left = self.get_x()
        points = size * self.scale
        for _ in range(8):
            self.set_font("DejaVu", "B" if bold else "", points)
            lines = self.multi_cell(width, points * 0.45, text, dry_run=True, output="LINES")
            if len(lines) <= max_lines or points <= size * self.scale * 0.6:
                break
            points *= 0.9
        if len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], lines[max_lines - 1].rstrip() + " …"]
        self.set_text_color(*colour)
        align = "R" if language in RTL else "L"
        for line in lines:
            self.set_x(left)
            self.multi_cell(width, points * 0.45, line, align=align, new_x="LEFT", new_y="NEXT")

    # the layout

    def draw(
        self, consultation: Consultation, layers: ReferenceLayers, deep_link: str, contact: str
    ) -> None:
        s, m = self.scale, self.margin
        self.set_fill_color(*BLUE)
        self.rect(0, 0, self.w, 46 * s, style="F")
        self.set_xy(m, 9 * s)
        for index, language in enumerate(self.languages):
            self.text_block(
                translate("poster_heading", language),
                language,
                30 if index == 0 else 20,
                bold=True,
                colour=(255, 255, 255),
                max_lines=1,
            )
        self.set_xy(m, 49 * s)
        self.text_block(pick(consultation.title, SOURCE_LANGUAGE), "de", 15, bold=True, max_lines=2)
        self.ln(2 * s)
        # A question not translated into the second language is printed once, in German.
        asked = [lang for lang in self.languages if consultation.question.get(lang)]
        for index, language in enumerate(asked or [SOURCE_LANGUAGE]):
            self.text_block(
                pick(consultation.question, language),
                language,
                21 if index == 0 else 15,
                bold=index == 0,
                colour=(26, 26, 26) if index == 0 else (60, 60, 60),
                max_lines=4 if index == 0 else 3,
            )
            self.ln(1.5 * s)
        top = self.get_y() + 6 * s
        self.code_size = min(100 * s, self.h - top - 88 * s)
        self._qr(deep_link, m, top, self.code_size)
        map_left = m + self.code_size + 8 * s
        map_width = self.w - m - map_left
        self._map(layers, consultation, map_left, top, map_width, self.code_size)
        self.code_bottom = top + self.code_size
        self.set_xy(map_left, top + self.code_size + 1.5 * s)
        for language in self.languages:
            self.text_block(
                translate("poster_map_caption", language), language, 9, width=map_width, max_lines=2
            )
        self.set_xy(m, self.code_bottom + 14 * s)
        for index, language in enumerate(self.languages):
            self.text_block(
                translate("poster_scan", language),
                language,
                14 if index == 0 else 12,
                bold=index == 0,
                max_lines=2,
            )
        self.ln(2 * s)
        closes = consultation.closes_at.astimezone(LOCAL_TIME).date()
        opens = consultation.opens_at.astimezone(LOCAL_TIME).date()
        for index, language in enumerate(self.languages):
            self.text_block(
                translate("poster_dates", language, opens=opens, closes=closes),
                language,
                13 if index == 0 else 11,
                bold=index == 0,
                max_lines=2,
            )
        self.set_fill_color(235, 240, 250)
        self.rect(0, self.h - 30 * s, self.w, 30 * s, style="F")
        self.set_xy(m, self.h - 26 * s)
        for language in self.languages:
            self.text_block(translate("poster_contact", language), language, 10, max_lines=1)
        self.text_block(contact, "de", 12, bold=True, max_lines=2)

    def draw_short_link(self, address: str) -> None:
        """The short address under the code, for those who type rather than scan."""
        self.set_xy(self.margin, self.code_bottom + 2 * self.scale)
        self.text_block(address, "de", 13, bold=True, width=self.code_size + 40, max_lines=1)

    def _qr(self, deep_link: str, x: float, y: float, size: float) -> None:
        code = segno.make(deep_link, error="m", micro=False)
        image = io.BytesIO()
        code.save(image, kind="png", scale=12, border=2)
        image.seek(0)
        self.image(image, x=x, y=y, w=size, h=size, alt_text="QR-Code")

    def _map(
        self,
        layers: ReferenceLayers,
        consultation: Consultation,
        x: float,
        y: float,
        width: float,
        height: float,
    ) -> None:
        image = spot_map(layers, consultation, self.poster, width / height)
        self.image(image, x=x, y=y, w=width, h=height, alt_text="Karte")
        self.set_draw_color(120, 120, 120)
        self.rect(x, y, width, height)


def spot_map(
    layers: ReferenceLayers, consultation: Consultation, poster: Poster, aspect: float
) -> io.BytesIO:
    """A PNG of the spot among the perimeter and the named places, drawn here from our data."""
    # A bare Figure draws with Agg and keeps no global pyplot state: safe in server threads.
    figure = Figure(figsize=(3.6 * aspect, 3.6), dpi=220)
    axes = figure.add_axes((0, 0, 1, 1))

    def project(shape: Any) -> Any:
        return geo.transform(shape, geo.WGS84, ETRS89_UTM32)

    spot = project(shapely.geometry.Point(poster.lon, poster.lat))
    for outline, colour, width, style in (
        (layers.district, "#777777", 1.0, "--"),
        (
            {"type": "FeatureCollection", "features": [{"geometry": consultation.perimeter}]},
            "#0b57d0",
            2.0,
            "-",
        ),
    ):
        for feature in outline["features"]:
            boundary = project(shapely.geometry.shape(feature["geometry"])).boundary
            for line in getattr(boundary, "geoms", [boundary]):
                xs, ys = line.xy
                axes.plot(xs, ys, color=colour, linewidth=width, linestyle=style)
    for feature in layers.places["features"]:
        place = project(shapely.geometry.shape(feature["geometry"]))
        axes.plot(place.x, place.y, "o", color="#1a1a1a", markersize=4)
        axes.annotate(
            feature["properties"]["label"],
            (place.x, place.y),
            xytext=(7, 5),
            textcoords="offset points",
            fontsize=7,
            annotation_clip=True,
        ).set_parse_math(False)
    axes.plot(spot.x, spot.y, "o", color="#d93025", markersize=16, markeredgecolor="white")
    axes.plot(spot.x, spot.y, "o", color="white", markersize=5)
    half_height = MAP_HALF_WIDTH_M
    half_width = half_height * aspect
    axes.set_xlim(spot.x - half_width, spot.x + half_width)
    axes.set_ylim(spot.y - half_height, spot.y + half_height)
    axes.set_aspect("equal")
    axes.set_axis_off()
    figure.patch.set_facecolor("#f4f1ea")
    scale_bar(axes)
    north_arrow(axes)
    image = io.BytesIO()
    figure.savefig(image, format="png", facecolor=figure.get_facecolor())
    image.seek(0)
    return image
