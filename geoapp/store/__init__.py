"""Persistence: one Store protocol (base.py), backends per database."""

from geoapp.store.base import Store
from geoapp.store.factory import open_store

__all__ = ["Store", "open_store"]
