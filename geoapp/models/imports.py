"""Importing pins from a file: what is created and what is refused."""

from typing import Any

from pydantic import BaseModel, Field


class ImportRow(BaseModel):
    """A pin the import creates (or would create, in a preview)."""

    row: int = Field(description="CSV: the spreadsheet row (header = 1); else the feature number.")
    category: str
    text: str
    author_name: str | None
    geometry: dict[str, Any]


class RefusedRow(BaseModel):
    row: int
    reason: str


class ImportResult(BaseModel):
    """What an import creates and every row it leaves out, with the reason."""

    dry_run: bool
    create: list[ImportRow]
    refused: list[RefusedRow]
    created: int = Field(description="Pins created (0 in a preview).")
