"""Published pins of one topic near a point ("someone already said this nearby")."""

import math

import shapely.geometry
import shapely.ops
from pyproj import Geod

from geoapp.domain import BBox, Contribution, Nearby, Status
from geoapp.store.schema import contributions
from geoapp.store.sql.core import SqlBase, contributions_select
from geoapp.store.sql.mapping import from_row

METRES_PER_DEGREE = 111_320.0
CANDIDATES = 50
"""Pins read from the box around the point, nearest (by their box's centre) first; the exact
distance then decides among these, so a crowded spot costs no more than this."""
_GEOD = Geod(ellps="WGS84")


def _box(lon: float, lat: float, radius_m: float) -> BBox:
    """The lon/lat rectangle that holds every point within `radius_m` of (lon, lat)."""
    dlat = radius_m / METRES_PER_DEGREE * 1.01
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return BBox(lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def distance_m(geometry: dict[str, object], lon: float, lat: float) -> float:
    """Geodesic metres from (lon, lat) to the nearest point of a GeoJSON geometry."""
    shape = shapely.geometry.shape(geometry)
    origin = shapely.geometry.Point(lon, lat)
    nearest = shape if shape.geom_type == "Point" else shapely.ops.nearest_points(shape, origin)[0]
    _, _, metres = _GEOD.inv(lon, lat, nearest.x, nearest.y)
    return float(metres)


class NearbyQueries(SqlBase):
    def nearby_contributions(
        self,
        consultation_id: str,
        category: str,
        lon: float,
        lat: float,
        radius_m: float,
        limit: int,
    ) -> list[Nearby]:
        c = contributions.c
        scale = math.cos(math.radians(lat))
        dx = ((c.min_lon + c.max_lon) / 2 - lon) * scale
        dy = (c.min_lat + c.max_lat) / 2 - lat
        stmt = (
            contributions_select()
            .where(
                c.consultation_id == consultation_id,
                c.status == str(Status.PUBLISHED),
                c.category == category,
                self._bbox_clause(_box(lon, lat, radius_m)),
            )
            .order_by(dx * dx + dy * dy, c.id)
            .limit(CANDIDATES)
        )
        found = []
        for pin in self._all(stmt, lambda row: from_row(Contribution, row, contributions)):
            if pin.geometry is None:
                continue
            metres = distance_m(pin.geometry, lon, lat)
            if metres <= radius_m:
                found.append(Nearby(pin, metres))
        found.sort(key=lambda near: (near.distance_m, near.contribution.id))
        return found[:limit]
