"""Planners' routes: sign-in, moderation, audit trail, erasure, entering pins, statistics."""

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Response, status

from geoapp.api.deps import PlannerDep, SettingsDep, StoreDep, require_planner
from geoapp.models import PlannerSessionOut, SignIn
from geoapp.security import planner_sessions
from geoapp.services import planners
from geoapp.services.planners import SignedIn

# Signing in is the one planner route open to anonymous callers.
signin_router = APIRouter(prefix="/api/planner", tags=["planners"])
router = APIRouter(
    prefix="/api/planner", tags=["planners"], dependencies=[Depends(require_planner)]
)


@signin_router.post("/session", response_model=PlannerSessionOut)
def sign_in(
    body: SignIn, response: Response, store: StoreDep, settings: SettingsDep
) -> PlannerSessionOut:
    """Sign in; sets the session cookie and returns the CSRF token."""
    signed_in = planners.sign_in(store, body.username, body.password, settings, datetime.now(UTC))
    response.set_cookie(
        planner_sessions.COOKIE,
        signed_in.token or "",
        max_age=settings.planner_session_minutes * 60,
        path=planner_sessions.COOKIE_PATH,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return _session_out(signed_in)


@router.get("/session", response_model=PlannerSessionOut)
def current_session(signed_in: PlannerDep) -> PlannerSessionOut:
    """Who is signed in (the planner page asks after a reload)."""
    return _session_out(signed_in)


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(signed_in: PlannerDep, store: StoreDep, settings: SettingsDep) -> Response:
    """End the session and clear the cookie."""
    planners.sign_out(store, signed_in)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(
        planner_sessions.COOKIE,
        path=planner_sessions.COOKIE_PATH,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response


def _session_out(signed_in: SignedIn) -> PlannerSessionOut:
    return PlannerSessionOut(
        username=signed_in.planner.username,
        role=signed_in.planner.role,
        csrf_token=signed_in.session.csrf_token,
        expires_at=signed_in.session.expires_at,
    )
