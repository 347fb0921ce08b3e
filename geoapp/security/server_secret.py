"""The server's secret for keyed hashes: from settings, or generated once per database."""

import secrets

from geoapp.store.base import Store

NAME = "server"


def server_secret(store: Store, configured: str | None) -> bytes:
    """GEOAPP_SECRET_KEY when set, else a random secret kept in the database for every worker."""
    if configured:
        return configured.encode()
    return store.server_secret(NAME, secrets.token_urlsafe(48)).encode()
