"""Replies to a contribution: as residents send them, as anyone and as planners see them."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from geoapp.domain import Status
from geoapp.models.base import FormToken, FromDomain, Honeypot, Name, ReplyText


class ReplyCreate(BaseModel):
    """A resident's reply to a published contribution."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"text": "Da stimme ich zu.", "author_name": "Jonas"}}
    )

    text: ReplyText
    author_name: Name | None = Field(default=None, description="Shown publicly; optional.")
    form_token: FormToken = None
    website: Honeypot = None


class ReplyPublic(FromDomain):
    id: str
    contribution_id: str
    text: str
    author_name: str | None
    created_at: datetime
    status: Status = Field(description="'published' when shown at once, 'pending' until approved.")


class MyReply(ReplyPublic):
    """One of the participant's own replies, with the planners' reason when it is not shown."""

    status_reason: str | None


class ReplyForPlanner(FromDomain):
    id: str
    contribution_id: str
    text: str
    author_name: str | None
    language: str
    status: Status
    status_reason: str | None
    open_reports: int
    report_networks: int = Field(
        default=0, description="Distinct networks among the open reports (hashed, per day)."
    )
    created_at: datetime
