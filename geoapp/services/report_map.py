"""The report map: one self-contained HTML file (folium) that opens offline.

User and planner text never meets a template engine. folium renders the map skeleton from
numbers and constants only; branca re-renders every element's output as template source, so a
pin reading `{{ … }}` would otherwise run on the server. Everything typed (titles, questions,
category labels, pins, names, answers, replies, the themes' terms and typical pins) goes into one
JSON data element spliced into the rendered page, and `report_map.js` builds popups, legend,
layer switcher and themes table from it with `textContent`: it is never parsed as HTML either.
Scripts and styles of Leaflet and its plugins are inlined from the installed packages, so the
file needs no network.
"""

import base64
import html
import json
import mimetypes
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import shapely.geometry
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from branca.element import MacroElement
from folium.template import Template

from geoapp.config import Settings
from geoapp.domain import Category, Consultation, Contribution, ContributionQuery, Reply, Status
from geoapp.i18n import LOCAL_TIME, translate
from geoapp.models import Themes
from geoapp.paths import node_package
from geoapp.security.work_gates import WorkGate
from geoapp.services import themes
from geoapp.services.localise import pick
from geoapp.store.base import Store

HERE = Path(__file__).parent
LEAFLET = Path(xstatic.pkg.leaflet.BASE_DIR)
MARKERCLUSTER = Path(xstatic.pkg.leaflet_markercluster.BASE_DIR)
SCRIPTS = [
    LEAFLET / "leaflet.js",
    MARKERCLUSTER / "leaflet.markercluster.js",
    node_package("leaflet.heat") / "leaflet-heat.js",
    HERE / "report_map.js",
]
STYLES = [
    LEAFLET / "leaflet.css",
    MARKERCLUSTER / "MarkerCluster.css",
    MARKERCLUSTER / "MarkerCluster.Default.css",
    HERE / "report_map.css",
]
DATA_ID = "report-data"
RTL_LANGUAGES = frozenset({"ar"})
_JSON_IN_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028"}


class _Start(MacroElement):
    """Hands the map and its folium layers to report_map.js; its output holds only names."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        geoappReport({{ this.map.get_name() }}, {
            perimeter: {{ this.perimeter.get_name() }},
            heat: {{ this.heat.get_name() }}
        });
        {% endmacro %}
        """
    )

    def __init__(self, map_: folium.Map, perimeter: folium.GeoJson, heat: Any) -> None:
        super().__init__()
        self._name = "GeoappReport"
        self.map = map_
        self.perimeter = perimeter
        self.heat = heat


def build(
    store: Store,
    consultation: Consultation,
    settings: Settings,
    language: str = "de",
    themes_gate: WorkGate | None = None,
) -> str:
    """The report map of a consultation (its published pins) as one HTML document."""
    query = ContributionQuery(consultation.id)
    pins = [p for p in store.list_contributions(query) if p.geometry]
    replies = store.replies_of_contributions(query, (Status.PUBLISHED,))
    perimeter = shapely.geometry.shape(consultation.perimeter)
    west, south, east, north = perimeter.bounds

    report = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=15,
        tiles=None,
        attribution_control=False,
    )
    outline = folium.GeoJson(
        shapely.geometry.mapping(perimeter),
        style_function=lambda _feature: {"color": "#333333", "weight": 2, "fillOpacity": 0.04},
    )
    heat = folium.plugins.HeatMap(
        [[*_lat_lon(p), 1 + p.support_count] for p in pins], radius=25, blur=18
    )
    for element in (report, heat):
        element.default_js = []
        element.default_css = []
    outline.add_to(report)
    heat.add_to(report)
    report.fit_bounds([[south, west], [north, east]])
    report.add_child(_Start(report, outline, heat))
    skeleton = report.get_root().render()

    title = pick(consultation.title, language)
    data = {
        "language": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        "title": title,
        "question": pick(consultation.question, language),
        "generated": translate(
            "report_generated",
            language,
            count=len(pins),
            date=datetime.now(LOCAL_TIME).date(),
        ),
        "tiles": {"url": settings.tile_url, "attribution": settings.tile_attribution},
        "labels": {
            key: translate(f"report_{key}", language)
            for key in ("layers", "layer_basemap", "layer_perimeter", "layer_heat", "answer")
        },
        "categories": _categories(consultation.categories, pins, language),
        "pins": _pins(pins, replies, consultation.categories, language),
        "themes": _themes(
            themes.for_consultation(store, consultation, themes.limits_of(settings), themes_gate),
            language,
        ),
    }
    head = (
        f"<title>{html.escape(translate('report_title', language, title=title))}</title>\n"
        f'<script type="application/json" id="{DATA_ID}">{json_for_html(data)}</script>\n'
        + "".join(f"<style>{_inline_images(path)}</style>\n" for path in STYLES)
        + "".join(f"<script>{_script(path)}</script>\n" for path in SCRIPTS)
    )
    return skeleton.replace("</head>", head + "</head>", 1)


def json_for_html(value: Any) -> str:
    """`value` as JSON that is inert inside an HTML element: no `<`, `>` or `&` left."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028]", lambda m: _JSON_IN_HTML[m.group()], text)


def _script(path: Path) -> str:
    """A script file's code, safe to inline: a `</script` inside it cannot close the element."""
    return re.sub(r"</(script)", r"<\\/\1", path.read_text(encoding="utf-8"), flags=re.I)


def _inline_images(css_file: Path) -> str:
    """The stylesheet with its url(images/…) references turned into data: URIs."""

    def data_uri(match: re.Match[str]) -> str:
        image = css_file.parent / match.group(1)
        if not image.is_file():
            return "none"
        kind = mimetypes.guess_type(image.name)[0] or "image/png"
        return f"url(data:{kind};base64,{base64.b64encode(image.read_bytes()).decode()})"

    return re.sub(r"url\(['\"]?([^'\")]+)['\"]?\)", data_uri, css_file.read_text("utf-8"))


def _lat_lon(pin: Contribution) -> list[float]:
    lon, lat = shapely.geometry.shape(pin.geometry).representative_point().coords[0]
    return [lat, lon]


def _categories(
    categories: list[Category], pins: list[Contribution], language: str
) -> list[dict[str, Any]]:
    counts = Counter(p.category for p in pins)
    return [
        {
            "key": c.key,
            "label": pick(c.label, language),
            "color": c.color,
            "count": counts.get(c.key, 0),
        }
        for c in categories
    ]


def _pins(
    pins: list[Contribution], replies: list[Reply], categories: list[Category], language: str
) -> list[dict[str, Any]]:
    labels = {c.key: pick(c.label, language) for c in categories}
    replies_of: dict[str, list[Reply]] = defaultdict(list)
    for reply in replies:
        replies_of[reply.contribution_id].append(reply)
    return [_pin(p, labels, replies_of[p.id], language) for p in pins]


def _pin(
    pin: Contribution, labels: dict[str, str], replies: list[Reply], language: str
) -> dict[str, Any]:
    """What the popup of one pin shows, as text."""
    lat, lon = _lat_lon(pin)
    photo = translate("report_photo", language, alt=pin.photo_alt or "") if pin.photo_id else None
    meta = translate(
        "report_pin_meta",
        language,
        date=pin.created_at.astimezone(LOCAL_TIME).date(),
        supports=pin.support_count,
    )
    return {
        "lat": lat,
        "lon": lon,
        "category": pin.category,
        "label": labels.get(pin.category, pin.category),
        "text": pin.text,
        "author": _by(pin.author_name, language),
        "photo": photo,
        "meta": meta,
        "answer": pin.planner_response,
        "replies": [{"text": r.text, "author": _by(r.author_name, language)} for r in replies],
    }


def _themes(found: Themes, language: str) -> dict[str, Any]:
    """The themes table: the groups of similar pins with their count and typical pin."""
    notes = [
        translate("report_themes_summary", language, analysed=found.analysed, matched=found.matched)
    ]
    if found.capped:
        notes.append(translate("report_themes_capped", language, max=found.analysed))
    if found.message is not None:
        notes.append(translate("report_themes_none", language))
    return {
        "heading": translate("report_themes", language),
        "notes": notes,
        "columns": [
            translate(f"report_themes_{key}", language)
            for key in ("column_group", "terms", "count", "typical")
        ],
        "groups": [
            {
                "label": translate(
                    "report_themes_group", language, number=group.number, lang=lang.language
                ),
                "terms": ", ".join(group.terms),
                "count": group.count,
                "text": group.representative.text,
            }
            for lang in found.languages
            for group in lang.groups
        ],
    }


def _by(name: str | None, language: str) -> str | None:
    return translate("report_author", language, name=name) if name else None
