"""The report map: one self-contained HTML file (folium) that opens offline.

Heat map, pins clustered per category as layers to switch on and off, the perimeter and a
legend. folium links Leaflet and its plugins from CDNs by default; here every script and style
is inlined from the installed packages instead, so the file needs no network at all.
"""

import base64
import html
import mimetypes
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import shapely.geometry
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from branca.element import Element, MacroElement
from folium.template import Template

from geoapp.config import Settings
from geoapp.i18n import translate
from geoapp.paths import node_package
from geoapp.services.consultations import get_for_planner
from geoapp.services.localise import pick
from geoapp.store.base import Consultation, Contribution, ContributionQuery, Store

LEAFLET = Path(xstatic.pkg.leaflet.BASE_DIR)
MARKERCLUSTER = Path(xstatic.pkg.leaflet_markercluster.BASE_DIR)
SCRIPTS = [
    LEAFLET / "leaflet.js",
    MARKERCLUSTER / "leaflet.markercluster.js",
    node_package("leaflet.heat") / "leaflet-heat.js",
]
STYLES = [
    LEAFLET / "leaflet.css",
    MARKERCLUSTER / "MarkerCluster.css",
    MARKERCLUSTER / "MarkerCluster.Default.css",
]
LEGEND_CSS = """
.report-legend { position: absolute; z-index: 1000; bottom: 24px; left: 12px; max-width: 320px;
  background: #fff; padding: 10px 12px; border-radius: 6px; font: 14px/1.4 sans-serif;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.report-legend h1 { font-size: 16px; margin: 0 0 4px; }
.report-legend p { margin: 0 0 6px; color: #444; }
.report-legend ul { list-style: none; margin: 0; padding: 0; }
.report-legend .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  margin-right: 6px; vertical-align: -1px; border: 1px solid #fff; box-shadow: 0 0 0 1px #999; }
"""


class _Pins(MacroElement):
    """Circle markers in the parent layer; popups are built from text, never parsed as HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.pins|tojson }}.forEach(function (pin) {
            var popup = document.createElement("div");
            var text = document.createElement("p");
            text.textContent = pin.text;
            var meta = document.createElement("small");
            meta.textContent = pin.meta;
            popup.appendChild(text);
            popup.appendChild(meta);
            L.circleMarker([pin.lat, pin.lon], {
                radius: 8, color: "#ffffff", weight: 1, fillColor: pin.color, fillOpacity: 0.9
            }).bindPopup(popup).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, pins: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "Pins"
        self.pins = pins


def build(store: Store, slug: str, settings: Settings, language: str = "de") -> str:
    """The report map of consultation `slug` (its published pins) as one HTML document."""
    consultation = get_for_planner(store, slug)
    pins = store.list_contributions(ContributionQuery(consultation.id))
    perimeter = shapely.geometry.shape(consultation.perimeter)
    west, south, east, north = perimeter.bounds
    title = pick(consultation.title, language)

    report = folium.Map(
        location=[(south + north) / 2, (west + east) / 2], zoom_start=15, tiles=None
    )
    _offline(report)
    report.get_root().title = html.escape(translate("report_title", language, title=title))
    folium.TileLayer(
        tiles=settings.tile_url,
        attr=html.escape(settings.tile_attribution),
        name=translate("report_layer_basemap", language),
    ).add_to(report)
    folium.GeoJson(
        consultation.perimeter,
        name=translate("report_layer_perimeter", language),
        style_function=lambda _feature: {"color": "#333333", "weight": 2, "fillOpacity": 0.04},
    ).add_to(report)
    heat = folium.plugins.HeatMap(
        [[*_lat_lon(p), 1 + p.support_count] for p in pins if p.geometry],
        name=translate("report_layer_heat", language),
        radius=25,
        blur=18,
    )
    _offline(heat)
    heat.add_to(report)
    for category in consultation.categories:
        label = pick(category.label, language)
        cluster = folium.plugins.MarkerCluster(name=label)
        _offline(cluster)
        mine = [p for p in pins if p.category == category.key and p.geometry]
        cluster.add_child(_Pins([_pin(p, category.color, language) for p in mine]))
        cluster.add_to(report)
    folium.LayerControl(collapsed=False).add_to(report)
    report.fit_bounds([[south, west], [north, east]])
    report.get_root().html.add_child(Element(_legend(consultation, pins, language)))
    return report.get_root().render()


def _offline(element: Any) -> None:
    """Drop the element's CDN links; the inlined copies serve instead."""
    element.default_js = []
    element.default_css = []
    if isinstance(element, folium.Map):
        header = element.get_root().header
        for index, path in enumerate(STYLES):
            header.add_child(Element(f"<style>{_inline_images(path)}</style>"), f"css{index}")
        header.add_child(Element(f"<style>{LEGEND_CSS}</style>"), "legend_css")
        for index, path in enumerate(SCRIPTS):
            code = re.sub(r"</(script)", r"<\\/\1", path.read_text(encoding="utf-8"), flags=re.I)
            header.add_child(Element(f"<script>{code}</script>"), f"js{index}")


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


def _pin(pin: Contribution, color: str, language: str) -> dict[str, Any]:
    lat, lon = _lat_lon(pin)
    meta = translate(
        "report_pin_meta",
        language,
        date=pin.created_at.strftime("%d.%m.%Y"),
        supports=pin.support_count,
    )
    return {"lat": lat, "lon": lon, "color": color, "text": pin.text, "meta": meta}


def _legend(consultation: Consultation, pins: list[Contribution], language: str) -> str:
    counts = Counter(p.category for p in pins)
    items = "".join(
        f'<li><span class="swatch" style="background:{html.escape(c.color)}"></span>'
        f"{html.escape(pick(c.label, language))} ({counts.get(c.key, 0)})</li>"
        for c in consultation.categories
    )
    generated = translate(
        "report_generated",
        language,
        count=len(pins),
        date=datetime.now(UTC).strftime("%d.%m.%Y"),
    )
    title = html.escape(pick(consultation.title, language))
    return (
        f'<div class="report-legend"><h1>{title}</h1><p>{html.escape(generated)}</p>'
        f"<ul>{items}</ul></div>"
    )
