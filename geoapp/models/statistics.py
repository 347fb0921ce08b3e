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
