"""Counts of a consultation's contributions."""

from datetime import datetime

from pydantic import BaseModel, Field


class CountOverTime(BaseModel):
    period: str = Field(description="ISO week (2026-W47) or date (2026-11-26), Europe/Berlin.")
    count: int
    cumulative: int


class SupportedContribution(BaseModel):
    id: str
    category: str
    text: str
    support_count: int
    created_at: datetime


class PosterCount(BaseModel):
    """How many pins (any status) came from one poster's QR code."""

    key: str
    place: str | None = Field(description="The place's name; None for a chosen point.")
    coordinates: tuple[float, float] = Field(description="[longitude, latitude] (WGS84).")
    count: int


class Statistics(BaseModel):
    """Counts of one consultation's contributions, every status included unless said otherwise."""

    consultation: str
    total: int
    by_category: dict[str, int]
    by_status: dict[str, int]
    by_source: dict[str, int]
    by_week: list[CountOverTime]
    by_day: list[CountOverTime]
    most_supported: list[SupportedContribution] = Field(
        description="The ten published contributions with the most supports."
    )
    by_poster: list[PosterCount] = Field(
        default_factory=list, description="Pins per poster, every poster of the consultation."
    )
