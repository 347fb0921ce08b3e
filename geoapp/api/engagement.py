"""Residents engage with published pins: support, reply, report, and “Meine Beiträge”.

Who a resident is comes from the participant cookie (HttpOnly, SameSite=Lax) that
POST /api/participant issues, signed by the server; the server keeps only a hash of it.
Every state-changing request needs that token and counts against the rate limits.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.responses import JSONResponse

from geoapp.api import problems
from geoapp.api.deps import (
    ClientNetworkDep,
    KeysDep,
    LanguageDep,
    LimiterDep,
    OptionalParticipantDep,
    ParticipantDep,
    SettingsDep,
    StoreDep,
)
from geoapp.api.sends import SenderDep
from geoapp.config import Settings
from geoapp.errors import NotAllowedNow
from geoapp.models import (
    ContributionDetail,
    FormStart,
    MyContributions,
    ParticipantState,
    ReplyCreate,
    ReplyPublic,
    ReportCreate,
    ReportReceipt,
    SupportState,
)
from geoapp.security import form_starts, participants
from geoapp.security.rate_limits import Action
from geoapp.services import contributions, my_contributions, replies, reports, supports
from geoapp.services.reports import HideRule, Reporter

router = APIRouter(prefix="/api", tags=["residents"])


@dataclass(frozen=True)
class Reporting:
    """Who reports (counted against the report limits) and when reports hide a target."""

    reporter: Reporter
    rule: HideRule


def get_reporting(
    participant: ParticipantDep,
    network: ClientNetworkDep,
    limiter: LimiterDep,
    settings: SettingsDep,
) -> Reporting:
    limiter.check(Action.REPORT, participant, datetime.now(UTC))
    rule = HideRule(settings.report_threshold, settings.report_network_threshold)
    return Reporting(Reporter(participant, network), rule)


ReportingDep = Annotated[Reporting, Depends(get_reporting)]

REPORT_RESPONSES = {
    200: {"model": ReportReceipt, "description": "This browser had already reported it."},
    201: {"model": ReportReceipt, "description": "Report received."},
}


@router.post(
    "/participant",
    response_model=ParticipantState,
    responses={
        200: {
            "model": ParticipantState,
            "description": "This browser already is a participant (an old token is re-signed).",
        },
        201: {"model": ParticipantState, "description": "A new token cookie was set."},
    },
)
def obtain_participant(
    request: Request,
    response: Response,
    store: StoreDep,
    keys: KeysDep,
    settings: SettingsDep,
    limiter: LimiterDep,
) -> ParticipantState:
    """Give this browser its participant token (HttpOnly cookie), unless it has a valid one.

    Supports, replies, reports, pins and photos need the token. New tokens are counted per
    network, so one address cannot mint participants without end. A token from before tokens
    were signed is signed now if the database knows it (so "Meine Beiträge" stays), else replaced.
    """
    token = request.cookies.get(participants.COOKIE_NAME)
    if participants.is_token(token, keys.participant):
        return ParticipantState(new=False)
    limiter.check(Action.PARTICIPANT, None, datetime.now(UTC))
    if participants.is_unsigned(token) and store.knows_participant(participants.hash_token(token)):
        _set_cookie(response, participants.sign_existing(token, keys.participant), settings)
        return ParticipantState(new=False)
    _set_cookie(response, participants.new_token(keys.participant), settings)
    response.status_code = status.HTTP_201_CREATED
    return ParticipantState(new=True)


def _set_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        participants.COOKIE_NAME,
        token,
        max_age=participants.COOKIE_MAX_AGE,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )


@router.get("/form-start", response_model=FormStart)
def form_start(response: Response, keys: KeysDep, settings: SettingsDep) -> FormStart:
    """A signed form-start time for the pin or reply form, asked for when the form opens."""
    response.headers["Cache-Control"] = "no-store"
    return FormStart(
        token=form_starts.issue(keys.form_start, datetime.now(UTC)),
        min_seconds=settings.form_min_seconds,
    )


@router.get("/contributions/{contribution_id}", response_model=ContributionDetail)
def get_contribution(
    contribution_id: str, store: StoreDep, participant: OptionalParticipantDep
) -> ContributionDetail:
    """A published pin with its published replies, oldest reply first."""
    return contributions.detail(store, contribution_id, participant)


# Supports and replies need the consultation to be open; reports are taken at any time.
WHILE_OPEN = problems.declare(NotAllowedNow)


@router.post(
    "/contributions/{contribution_id}/supports",
    response_model=SupportState,
    responses=WHILE_OPEN,
)
def support(
    contribution_id: str, store: StoreDep, participant: ParticipantDep, limiter: LimiterDep
) -> SupportState:
    """Support a published pin. Idempotent: one support per browser, however often it is sent."""
    limiter.check(Action.SUPPORT, participant, datetime.now(UTC))
    return supports.set_support(store, contribution_id, participant, supported=True)


@router.delete(
    "/contributions/{contribution_id}/supports",
    response_model=SupportState,
    responses=WHILE_OPEN,
)
def take_back_support(
    contribution_id: str, store: StoreDep, participant: ParticipantDep, limiter: LimiterDep
) -> SupportState:
    """Take this browser's support back (nothing happens when there was none)."""
    limiter.check(Action.SUPPORT, participant, datetime.now(UTC))
    return supports.set_support(store, contribution_id, participant, supported=False)


@router.post(
    "/contributions/{contribution_id}/replies",
    status_code=status.HTTP_201_CREATED,
    response_model=ReplyPublic,
    responses=WHILE_OPEN,
)
def reply(
    contribution_id: str,
    body: ReplyCreate,
    sender: SenderDep,
    store: StoreDep,
    settings: SettingsDep,
    language: LanguageDep,
) -> JSONResponse:
    """Reply to a published pin. `status` says whether it shows at once or after review.

    Like the pin form, the reply form sends the `form_token` of GET /api/form-start.
    """
    return sender.send(
        Action.REPLY,
        f"reply:{contribution_id}",
        body,
        lambda now, key, hits: replies.create(
            store,
            contribution_id,
            body,
            sender.participant,
            language,
            settings.intake_daily_cap,
            now,
            key,
            hits,
        ),
    )


@router.post(
    "/contributions/{contribution_id}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportReceipt,
    responses=REPORT_RESPONSES,
)
def report_contribution(
    contribution_id: str, body: ReportCreate, response: Response, store: StoreDep, who: ReportingDep
) -> ReportReceipt:
    """Report a pin as inappropriate; enough reports hide it until a planner has looked.

    Hiding needs reports from several participants *and* networks; a pin a planner restored
    is not hidden again by reports, they only put it in the planners' queue.
    """
    result = reports.report_contribution(store, contribution_id, body, who.reporter, who.rule)
    return _receipt(result, response)


@router.post(
    "/replies/{reply_id}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportReceipt,
    responses=REPORT_RESPONSES,
)
def report_reply(
    reply_id: str, body: ReportCreate, response: Response, store: StoreDep, who: ReportingDep
) -> ReportReceipt:
    """Report a reply as inappropriate; enough reports hide it until a planner has looked."""
    result = reports.report_reply(store, reply_id, body, who.reporter, who.rule)
    return _receipt(result, response)


@router.get("/me/contributions", response_model=MyContributions)
def my_contributions_list(store: StoreDep, participant: OptionalParticipantDep) -> MyContributions:
    """“Meine Beiträge”: pins and replies sent from this browser, with status and answers."""
    return my_contributions.list_mine(store, participant)


def _receipt(result: tuple[ReportReceipt, bool], response: Response) -> ReportReceipt:
    """201 for a new report, 200 for a repeat from the same browser."""
    receipt, new = result
    if not new:
        response.status_code = status.HTTP_200_OK
    return receipt
