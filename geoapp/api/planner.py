"""Planners' routes: sign-in, moderation, audit trail, erasure, entering pins, statistics."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.responses import HTMLResponse

from geoapp.api import problems
from geoapp.api.deps import (
    AdminDep,
    CategoryParam,
    ClientNetworkDep,
    CreatedFromParam,
    CreatedToParam,
    GatesDep,
    LanguageDep,
    LimiterDep,
    PhotoStorageDep,
    PlannerConsultationDep,
    PlannerDep,
    SettingsDep,
    StoreDep,
    require_planner,
)
from geoapp.api.headers import CSP, standalone_document_policy
from geoapp.config import Settings
from geoapp.domain import ModerationQuery, Source, Status, TargetKind
from geoapp.errors import (
    Busy,
    InvalidInput,
    NotAllowedNow,
    NotFound,
    NotSignedIn,
    TooManyAttempts,
)
from geoapp.models import (
    AuditEventOut,
    ContributionEdit,
    ContributionEntry,
    ContributionForPlanner,
    ContributionQueue,
    PlannerSessionOut,
    ReplyForPlanner,
    SignIn,
    Statistics,
    StatusChange,
    Themes,
)
from geoapp.security import planner_sessions
from geoapp.security.rate_limits import Action
from geoapp.services import moderation, planner_entries, planners, report_map, statistics, themes
from geoapp.services.planners import SignedIn

# Signing in is the one planner route open to anonymous callers.
signin_router = APIRouter(prefix="/api/planner", tags=["planners"])
router = APIRouter(
    prefix="/api/planner", tags=["planners"], dependencies=[Depends(require_planner)]
)


@signin_router.post(
    "/session",
    response_model=PlannerSessionOut,
    responses=problems.declare(NotSignedIn, TooManyAttempts, Busy),
)
def sign_in(
    body: SignIn,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    network: ClientNetworkDep,
    gates: GatesDep,
    limiter: LimiterDep,
) -> PlannerSessionOut:
    """Sign in; sets the session cookie and returns the CSRF token.

    Failed tries slow down per username and client network (429 with Retry-After), so
    failures elsewhere never lock the owner out; every try counts against the network's
    sign-in limit; 503 while the server checks as many passwords as it may at once.
    """
    limiter.check(Action.SIGNIN, None, datetime.now(UTC))
    signed_in = planners.sign_in(
        store,
        body.username,
        body.password,
        network,
        settings,
        gates.hashes,
        datetime.now(UTC),
    )
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
    return _without_cookie(settings)


@router.delete("/sessions", status_code=status.HTTP_204_NO_CONTENT)
def sign_out_everywhere(signed_in: PlannerDep, store: StoreDep, settings: SettingsDep) -> Response:
    """End every session of this planner, on every device, and clear this cookie."""
    planners.sign_out_everywhere(store, signed_in)
    return _without_cookie(settings)


def _without_cookie(settings: Settings) -> Response:
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(
        planner_sessions.COOKIE,
        path=planner_sessions.COOKIE_PATH,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response


ConsultationFilter = Annotated[str | None, Query(description="Consultation slug; all if empty.")]
StatusFilter = Annotated[
    list[Status] | None, Query(description="Repeatable; default: pending (or any if reported).")
]
ReportedFilter = Annotated[bool, Query(description="Only items with open reports.")]


# A queue filtered by a consultation that does not exist is refused, not empty.
QUEUE = problems.declare(NotFound)
# A decision or entry the item's (or its consultation's) present state does not allow.
NOT_NOW = problems.declare(NotAllowedNow)


QUEUE_PAGE_MAX = 200


async def get_queue_filter(
    status: StatusFilter = None,
    reported: ReportedFilter = False,
    category: CategoryParam = None,
    source: Annotated[list[Source] | None, Query(description="Source; repeatable.")] = None,
    created_from: CreatedFromParam = None,
    created_to: CreatedToParam = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words in the text or public name; case and umlauts folded, "
            "each word also as a beginning (Bank finds Bänke).",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=QUEUE_PAGE_MAX, description="Pins per page.")] = 50,
) -> ModerationQuery:
    """Which pins the queue shows, and how many per page."""
    return ModerationQuery(
        statuses=tuple(dict.fromkeys(status or ())),
        reported_only=reported,
        categories=tuple(category or ()),
        sources=tuple(source or ()),
        created_from=created_from,
        created_to=created_to,
        text=q,
        limit=limit,
    )


@router.get(
    "/contributions",
    response_model=ContributionQueue,
    responses=problems.declare(NotFound, InvalidInput),
)
def contribution_queue(
    store: StoreDep,
    query: Annotated[ModerationQuery, Depends(get_queue_filter)],
    consultation: ConsultationFilter = None,
    cursor: Annotated[
        str | None, Query(max_length=300, description="`next` of the page before.")
    ] = None,
) -> ContributionQueue:
    """One page of the moderation queue of pins, newest first, with the total that match."""
    return moderation.queue(store, consultation, query, cursor)


@router.get("/contributions/{contribution_id}", response_model=ContributionForPlanner)
def get_contribution(contribution_id: str, store: StoreDep) -> ContributionForPlanner:
    return moderation.get(store, contribution_id)


@router.patch("/contributions/{contribution_id}", response_model=ContributionForPlanner)
def edit_contribution(
    contribution_id: str, body: ContributionEdit, store: StoreDep, planner: PlannerDep
) -> ContributionForPlanner:
    """Correct category, text or position, or answer publicly; all audited."""
    return moderation.edit(
        store, contribution_id, body, planner.planner.username, datetime.now(UTC)
    )


@router.post(
    "/contributions/{contribution_id}/status",
    response_model=ContributionForPlanner,
    responses=NOT_NOW,
)
def change_contribution_status(
    contribution_id: str, body: StatusChange, store: StoreDep, planner: PlannerDep
) -> ContributionForPlanner:
    """Publish, reject (reason required), hide (reason required) or restore a pin."""
    moderation.change_status(
        store,
        TargetKind.CONTRIBUTION,
        contribution_id,
        body,
        planner.planner.username,
        datetime.now(UTC),
    )
    return moderation.get(store, contribution_id)


@router.get("/contributions/{contribution_id}/audit", response_model=list[AuditEventOut])
def contribution_audit(contribution_id: str, store: StoreDep) -> list[AuditEventOut]:
    """Who changed what and when, oldest first."""
    return moderation.audit_trail(store, TargetKind.CONTRIBUTION, contribution_id)


@router.post("/contributions/{contribution_id}/erasure", response_model=ContributionForPlanner)
def erase_personal_data(
    contribution_id: str, store: StoreDep, photos: PhotoStorageDep, admin: AdminDep
) -> ContributionForPlanner:
    """Erase name, e-mail and photo on a data-subject request (DSGVO Art. 17)."""
    return moderation.erase_personal_data(
        store, photos, contribution_id, admin.planner.username, datetime.now(UTC)
    )


@router.get("/replies", response_model=list[ReplyForPlanner], responses=QUEUE)
def reply_queue(
    store: StoreDep,
    consultation: ConsultationFilter = None,
    status: StatusFilter = None,
    reported: ReportedFilter = False,
) -> list[ReplyForPlanner]:
    """The moderation queue of replies, newest first."""
    return moderation.reply_queue(store, consultation, status or [], reported)


@router.post(
    "/replies/{reply_id}/status", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_NOW
)
def change_reply_status(
    reply_id: str, body: StatusChange, store: StoreDep, planner: PlannerDep
) -> Response:
    """Publish, reject, hide or restore a reply."""
    moderation.change_status(
        store, TargetKind.REPLY, reply_id, body, planner.planner.username, datetime.now(UTC)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/replies/{reply_id}/audit", response_model=list[AuditEventOut])
def reply_audit(reply_id: str, store: StoreDep) -> list[AuditEventOut]:
    return moderation.audit_trail(store, TargetKind.REPLY, reply_id)


@router.post(
    "/consultations/{slug}/contributions",
    status_code=status.HTTP_201_CREATED,
    response_model=ContributionForPlanner,
    responses=NOT_NOW,
)
def enter_contribution(
    body: ContributionEntry,
    store: StoreDep,
    language: LanguageDep,
    planner: PlannerDep,
    consultation: PlannerConsultationDep,
) -> ContributionForPlanner:
    """A pin entered for a resident (office, workshop, paper card), published at once.

    Allowed while the consultation is open and after it closed (paper cards arrive late);
    refused for drafts and archived consultations.
    """
    entered = planner_entries.enter(
        store, consultation, body, planner.planner.username, language, datetime.now(UTC)
    )
    return moderation.get(store, entered.id)


@router.get("/consultations/{slug}/statistics", response_model=Statistics)
def consultation_statistics(consultation: PlannerConsultationDep, store: StoreDep) -> Statistics:
    """Counts by category, status, source and week; the most supported pins."""
    return statistics.for_consultation(store, consultation)


@router.get(
    "/consultations/{slug}/themes",
    response_model=Themes,
    responses=problems.declare(InvalidInput, Busy),
)
def consultation_themes(
    consultation: PlannerConsultationDep,
    store: StoreDep,
    settings: SettingsDep,
    gates: GatesDep,
    category: Annotated[str | None, Query(description="Only pins of this topic (its key).")] = None,
    area: Annotated[
        str | None,
        Query(
            description="Only pins inside this GeoJSON Polygon or MultiPolygon (WGS84).",
            examples=[
                '{"type":"Polygon","coordinates":[[[7.70,51.57],[7.72,51.57],'
                "[7.72,51.59],[7.70,51.57]]]}"
            ],
        ),
    ] = None,
) -> Themes:
    """Frequent terms and groups of similar published pins, computed on this server.

    A plain `def`: FastAPI runs it in its thread pool, so the computation never blocks the
    event loop; the themes gate bounds how many run at once.
    """
    drawn = themes.parse_area(area, settings.max_perimeter_vertices)
    limits = themes.limits_of(settings)
    return themes.for_consultation(store, consultation, limits, gates.themes, category, drawn)


@router.get(
    "/consultations/{slug}/report.html",
    response_class=HTMLResponse,
    responses=problems.declare(Busy),
)
def report(
    consultation: PlannerConsultationDep,
    store: StoreDep,
    settings: SettingsDep,
    language: LanguageDep,
    gates: GatesDep,
) -> Response:
    """The report map as one HTML file that works offline (heat map, pins, legend).

    It is a download, never a page of this origin: should a browser render it anyway, its own
    policy runs only its inline scripts, by hash, in a sandbox without our origin.
    """
    document = report_map.build(store, consultation, settings, language, gates.themes)
    return HTMLResponse(
        document,
        headers={
            "Content-Disposition": f'attachment; filename="bericht-{consultation.slug}.html"',
            CSP: standalone_document_policy(document, settings.tile_url),
        },
    )


def _session_out(signed_in: SignedIn) -> PlannerSessionOut:
    return PlannerSessionOut(
        username=signed_in.planner.username,
        role=signed_in.planner.role,
        csrf_token=signed_in.session.csrf_token,
        expires_at=signed_in.session.expires_at,
    )
