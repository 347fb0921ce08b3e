"""Queries shared by every SQL backend; a backend overrides only the spatial parts."""

from geoapp.store.sql.abuse import AbuseQueries
from geoapp.store.sql.engagement import EngagementQueries
from geoapp.store.sql.features import FeatureQueries
from geoapp.store.sql.mapview import MapViewQueries
from geoapp.store.sql.moderation import ModerationQueries
from geoapp.store.sql.nearby import NearbyQueries
from geoapp.store.sql.photo_files import PhotoFileQueries
from geoapp.store.sql.planners import PlannerQueries
from geoapp.store.sql.posters import PosterQueries
from geoapp.store.sql.queue import QueueQueries
from geoapp.store.sql.themes import ThemeQueries


class SqlStore(
    EngagementQueries,
    ModerationQueries,
    QueueQueries,
    PlannerQueries,
    AbuseQueries,
    ThemeQueries,
    FeatureQueries,
    NearbyQueries,
    PosterQueries,
    PhotoFileQueries,
    MapViewQueries,
):
    """The Store protocol on SQLAlchemy Core; subclasses supply the engine and bbox filter."""


__all__ = ["SqlStore"]
