"""A participant's browser token and form start."""

from pydantic import BaseModel, Field


class ParticipantState(BaseModel):
    """Whether POST /api/participant issued a new token cookie or the browser had one."""

    new: bool


class FormStart(BaseModel):
    """A signed form-start time: send it back as `form_token` with the pin or reply."""

    token: str
    min_seconds: float = Field(description="Sends sooner than this after opening are refused.")
