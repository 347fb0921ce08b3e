"""“Someone already said this nearby”: published pins of a topic close to the resident's point."""

from geoapp import geo
from geoapp.domain import Consultation
from geoapp.models import NearbyContribution
from geoapp.services.contributions import require_category
from geoapp.store.base import Store

SUGGESTIONS = 3
"""The most pins the form shows: enough to find one's own idea, few enough to read."""


def near(
    store: Store,
    consultation: Consultation,
    category: str,
    lon: float,
    lat: float,
    radius_m: float,
) -> list[NearbyContribution]:
    """Up to three published pins of `category` within `radius_m` of (lon, lat), nearest first."""
    require_category(consultation, category)
    point = geo.parse_location({"type": "Point", "coordinates": [lon, lat]})
    lon, lat = point["coordinates"]
    found = store.nearby_contributions(consultation.id, category, lon, lat, radius_m, SUGGESTIONS)
    return [
        NearbyContribution.of(near.contribution, distance_m=round(near.distance_m))
        for near in found
    ]
