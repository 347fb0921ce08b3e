"""Planners' sign-in, session and audit trail."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, StringConstraints

from geoapp.domain import PlannerRole
from geoapp.models.base import FromDomain


class SignIn(BaseModel):
    """A planner's sign-in form."""

    username: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
    password: Annotated[str, StringConstraints(max_length=1000)]


class PlannerSessionOut(BaseModel):
    """Who is signed in, and the token every state-changing request sends as X-CSRF-Token."""

    username: str
    role: PlannerRole
    csrf_token: str
    expires_at: datetime


class AuditEventOut(FromDomain):
    """One entry of the audit trail: `changes` maps a field to [before, after]."""

    actor: str
    action: str
    changes: dict[str, Any]
    created_at: datetime
