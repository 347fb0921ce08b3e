"""The public map of many pins: a view is answered with lean pins, or with clusters.

A view holding at most `pins_max` published pins gets each of them, lean (id, category, point,
supports, the start of the text for its accessible name); the rest of a pin is fetched when it
is opened (GET /api/contributions/{id}). A view holding more gets clusters: the pins counted
per category in grid cells of about CELL_PX screen pixels at the requested zoom, computed by
the database. So the threshold between clusters and pins is the number of pins in view, not a
fixed zoom: a consultation of twenty pins shows them at any zoom, one of 100,000 clusters
until the view is small.
"""

import hashlib
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import shapely.geometry

from geoapp import __version__
from geoapp.domain import BBox, CellCount, Consultation, ContributionQuery, Grid, MapPin
from geoapp.store.base import Store

CELL_PX = 64
"""Edge of a cluster cell in screen pixels (Web Mercator tiles of 256 px)."""


def whole(consultation: Consultation) -> BBox:
    """The bbox of the consultation's perimeter: the view when none is given."""
    return BBox(*shapely.geometry.shape(consultation.perimeter).bounds)


def grid(zoom: int, bbox: BBox) -> Grid:
    """Cells of CELL_PX pixels at `zoom`; near-square on the ground at the view's latitude.

    The latitude is rounded to a degree, so panning keeps the same cells (and cached answers).
    """
    size_lon = 360.0 * CELL_PX / (256 * 2**zoom)
    latitude = round((bbox.min_lat + bbox.max_lat) / 2)
    return Grid(size_lon, size_lon * max(math.cos(math.radians(latitude)), 0.01))


def etag(version: int, bbox: BBox, zoom: int, categories: Sequence[str], pins_max: int) -> str:
    """The validator of one view: changes with the consultation's change version.

    Weak, because the same view is sent compressed or not.
    """
    view = repr((__version__, version, bbox, zoom, sorted(categories), pins_max))
    return f'W/"{version}-{hashlib.sha256(view.encode()).hexdigest()[:20]}"'


def view(
    store: Store,
    consultation: Consultation,
    bbox: BBox,
    zoom: int,
    categories: Sequence[str],
    pins_max: int,
) -> dict[str, Any]:
    """The published pins in `bbox` as a GeoJSON FeatureCollection of pins or of clusters.

    `kind` says which; `total` is the number of pins in view. A cluster's properties give its
    `count` and the count per category; its `bbox` spans its pins.
    """
    query = ContributionQuery(consultation_id=consultation.id, bbox=bbox, categories=categories)
    # Pins first, one more than shown: a small view needs nothing else, and for a large one
    # the read stops at that one more, before the cells are counted.
    pins = store.map_pins(query, pins_max + 1)
    if len(pins) <= pins_max:
        return {
            "type": "FeatureCollection",
            "kind": "pins",
            "total": len(pins),
            "features": [_pin(p) for p in pins],
        }
    clusters = _clusters(store.map_clusters(query, grid(zoom, bbox)))
    total = sum(c["properties"]["count"] for c in clusters)
    return {"type": "FeatureCollection", "kind": "clusters", "total": total, "features": clusters}


def _pin(pin: MapPin) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": pin.id,
        "geometry": {"type": "Point", "coordinates": [pin.lon, pin.lat]},
        "properties": {
            "category": pin.category,
            "support_count": pin.support_count,
            "excerpt": pin.excerpt,
        },
    }


def _clusters(counts: list[CellCount]) -> list[dict[str, Any]]:
    """One feature per cell from the store's counts per cell and category."""
    cells: dict[tuple[int, int], list[CellCount]] = defaultdict(list)
    for count in counts:
        cells[(count.cell_x, count.cell_y)].append(count)
    features = []
    for parts in cells.values():
        total = sum(p.count for p in parts)
        lon = sum(p.lon * p.count for p in parts) / total
        lat = sum(p.lat * p.count for p in parts) / total
        by_category = sorted(parts, key=lambda p: (-p.count, p.category))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
                "bbox": [
                    min(p.min_lon for p in parts),
                    min(p.min_lat for p in parts),
                    max(p.max_lon for p in parts),
                    max(p.max_lat for p in parts),
                ],
                "properties": {
                    "count": total,
                    "categories": {p.category: p.count for p in by_category},
                },
            }
        )
    return features
