"""Reports by residents and planners' moderation decisions."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from geoapp.domain import ReportReason, ResponseStatus, Status, TargetKind
from geoapp.models.base import Note, Response


class ReportCreate(BaseModel):
    """A resident's report of an inappropriate contribution or reply."""

    model_config = ConfigDict(json_schema_extra={"example": {"reason": "insult", "note": ""}})

    reason: ReportReason
    note: Note | None = Field(default=None, description="Optional: what is wrong with it.")


class ReportReceipt(BaseModel):
    """The report was received; planners will look at it."""

    target: TargetKind
    id: str
    reason: ReportReason


class RejectReason(StrEnum):
    """Why a planner rejects or hides a contribution or reply (shown to its author)."""

    OFF_TOPIC = "off_topic"
    OUTSIDE_REMIT = "outside_remit"
    INSULT = "insult"
    PERSONAL_DATA = "personal_data"
    ADVERTISING = "advertising"
    DUPLICATE = "duplicate"
    OTHER = "other"


class StatusChange(BaseModel):
    """A moderation decision: publish, reject or hide (with a reason), or restore."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "status": "rejected",
                "reason": "off_topic",
                "response": "Danke! Das betrifft den Busfahrplan, bitte fragen Sie die VKU.",
            }
        }
    )

    status: Status
    reason: RejectReason | None = Field(
        default=None, description="Required when rejecting or hiding."
    )
    response: Response | None = Field(
        default=None, description="Public answer shown under the pin (contributions only)."
    )
    response_status: ResponseStatus | None = None
