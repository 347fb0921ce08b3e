"""Health checks for load balancers and process supervisors; no rate limit, no participant.

Neither answer is cached (api/headers.py sends no-store for both).
"""

from fastapi import APIRouter

from geoapp.api import problems
from geoapp.api.deps import StoreDep
from geoapp.errors import NotReady
from geoapp.models import Health, Readiness
from geoapp.services import health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process answers (liveness); the database is not asked, so that a database outage
    does not make a supervisor restart every worker."""
    return Health()


@router.get("/readyz", response_model=Readiness, responses=problems.declare(NotReady))
def readyz(store: StoreDep) -> Readiness:
    """The database answers and its schema is at the newest migration (readiness); 503
    otherwise, so that a load balancer sends this process no requests."""
    return Readiness(schema_revision=health.readiness(store).head)
