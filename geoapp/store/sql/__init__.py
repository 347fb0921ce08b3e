"""Queries shared by every SQL backend; a backend overrides only the spatial parts."""

from geoapp.store.sql.abuse import AbuseQueries
from geoapp.store.sql.engagement import EngagementQueries
from geoapp.store.sql.moderation import ModerationQueries
from geoapp.store.sql.planners import PlannerQueries
from geoapp.store.sql.queue import QueueQueries


class SqlStore(EngagementQueries, ModerationQueries, QueueQueries, PlannerQueries, AbuseQueries):
    """The Store protocol on SQLAlchemy Core; subclasses supply the engine and bbox filter."""


__all__ = ["SqlStore"]
