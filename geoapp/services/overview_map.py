"""The overview map of the data package: perimeter and pins by category, legend, scale, north."""

from pathlib import Path

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from geoapp.domain import Consultation
from geoapp.services.localise import pick

NICE_LENGTHS = (10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000)


def draw(
    consultation: Consultation,
    contributions: gpd.GeoDataFrame,
    perimeter: gpd.GeoDataFrame,
    path: Path,
    attribution: str,
) -> None:
    """A PNG of the perimeter and the pins, both in a projected CRS in metres."""
    # A bare Figure draws with Agg and keeps no global pyplot state: safe in server threads.
    figure = Figure(figsize=(8.27, 8.27), dpi=150)
    axes = figure.subplots()
    perimeter.boundary.plot(ax=axes, color="#222222", linewidth=1.5)
    for category in consultation.categories:
        pins = contributions[contributions["category"] == category.key]
        label = f"{pick(category.label, 'de')} ({len(pins)})"
        if len(pins):
            pins.plot(
                ax=axes,
                color=category.color,
                markersize=18,
                edgecolor="white",
                linewidth=0.4,
                label=label,
            )
        else:
            axes.scatter([], [], color=category.color, s=18, label=label)
    # Titles and labels are typed by planners: shown as text, never parsed as mathtext ($…$).
    axes.set_title(pick(consultation.title, "de"), parse_math=False)
    axes.set_aspect("equal")
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_xlabel("")
    axes.set_ylabel("")
    _pad(axes)
    legend = axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncols=2,
        fontsize=8,
        frameon=False,
        title="Themen (Anzahl Beiträge)",
    )
    for label in legend.get_texts():
        label.set_parse_math(False)
    scale_bar(axes)
    north_arrow(axes)
    crs = perimeter.crs.to_epsg() if perimeter.crs else None
    figure.text(
        0.01,
        0.01,
        f"EPSG:{crs} · {attribution}",
        fontsize=7,
        color="#444444",
        ha="left",
        parse_math=False,
    )
    figure.savefig(path, format="png", bbox_inches="tight")


def _pad(axes: Axes) -> None:
    # Room around the perimeter for legend, scale bar and arrow.
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    pad = max(x1 - x0, y1 - y0) * 0.08
    axes.set_xlim(x0 - pad, x1 + pad)
    axes.set_ylim(y0 - pad, y1 + pad)


def scale_bar(axes: Axes) -> None:
    """A bar of a round length near a fifth of the map width, in the lower right corner."""
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    target = (x1 - x0) / 5
    length = max((n for n in NICE_LENGTHS if n <= target), default=NICE_LENGTHS[0])
    height = (y1 - y0) / 120
    left, bottom = x1 - (x1 - x0) * 0.05 - length, y0 + (y1 - y0) * 0.05
    for i, colour in enumerate(("black", "white")):
        axes.add_patch(
            Rectangle(
                (left + i * length / 2, bottom),
                length / 2,
                height,
                facecolor=colour,
                edgecolor="black",
                linewidth=0.8,
            )
        )
    text = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    axes.text(left + length / 2, bottom + height * 2, text, ha="center", va="bottom", fontsize=8)
    axes.text(left, bottom - height, "0", ha="center", va="top", fontsize=7)


def north_arrow(axes: Axes) -> None:
    """An arrow to the top of the map: grid north, within about 1° of true north in UTM 32."""
    axes.annotate(
        "N",
        xy=(0.94, 0.93),
        xytext=(0.94, 0.83),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 4, "headwidth": 12, "headlength": 10},
    )
