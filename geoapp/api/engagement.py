"""Residents engage with published pins: support, reply, report, and “Meine Beiträge”.

Who a resident is comes from the participant cookie (HttpOnly, SameSite=Lax), set on the first
state-changing request; the server keeps only a hash of it.
"""

from fastapi import APIRouter, Response, status

from geoapp.api import problems
from geoapp.api.deps import (
    LanguageDep,
    OptionalParticipantDep,
    ParticipantDep,
    SettingsDep,
    StoreDep,
)
from geoapp.errors import NotAllowedNow
from geoapp.models import (
    ContributionDetail,
    MyContributions,
    ReplyCreate,
    ReplyPublic,
    ReportCreate,
    ReportReceipt,
    SupportState,
)
from geoapp.services import contributions, my_contributions, replies, reports, supports

router = APIRouter(prefix="/api", tags=["residents"])

REPORT_RESPONSES = {
    200: {"model": ReportReceipt, "description": "This browser had already reported it."},
    201: {"model": ReportReceipt, "description": "Report received."},
}


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
def support(contribution_id: str, store: StoreDep, participant: ParticipantDep) -> SupportState:
    """Support a published pin. Idempotent: one support per browser, however often it is sent."""
    return supports.set_support(store, contribution_id, participant, supported=True)


@router.delete(
    "/contributions/{contribution_id}/supports",
    response_model=SupportState,
    responses=WHILE_OPEN,
)
def take_back_support(
    contribution_id: str, store: StoreDep, participant: ParticipantDep
) -> SupportState:
    """Take this browser's support back (nothing happens when there was none)."""
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
    store: StoreDep,
    language: LanguageDep,
    participant: ParticipantDep,
) -> ReplyPublic:
    """Reply to a published pin. `status` says whether it shows at once or after review."""
    return replies.create(store, contribution_id, body, participant, language)


@router.post(
    "/contributions/{contribution_id}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportReceipt,
    responses=REPORT_RESPONSES,
)
def report_contribution(
    contribution_id: str,
    body: ReportCreate,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    participant: ParticipantDep,
) -> ReportReceipt:
    """Report a pin as inappropriate; enough reports hide it until a planner has looked."""
    threshold = settings.report_threshold
    return _receipt(
        reports.report_contribution(store, contribution_id, body, participant, threshold),
        response,
    )


@router.post(
    "/replies/{reply_id}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportReceipt,
    responses=REPORT_RESPONSES,
)
def report_reply(
    reply_id: str,
    body: ReportCreate,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    participant: ParticipantDep,
) -> ReportReceipt:
    """Report a reply as inappropriate; enough reports hide it until a planner has looked."""
    threshold = settings.report_threshold
    return _receipt(reports.report_reply(store, reply_id, body, participant, threshold), response)


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
