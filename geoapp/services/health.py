"""Readiness for load balancers: the database answers and its schema is the one this code needs."""

from geoapp.domain import SchemaState
from geoapp.errors import NotReady
from geoapp.store.base import Store


def readiness(store: Store) -> SchemaState:
    """The schema state when requests can be served; NotReady (database, schema) otherwise."""
    state = store.schema_state()
    if not state.at_head:
        raise NotReady("not_ready_schema", current=state.current or "—", head=state.head)
    return state
