"""What the health endpoints answer a load balancer."""

from typing import Literal

from pydantic import BaseModel


class Health(BaseModel):
    """The process answers; nothing else is checked."""

    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """The database answers and its schema is at the migration this code needs."""

    status: Literal["ready"] = "ready"
    schema_revision: str
