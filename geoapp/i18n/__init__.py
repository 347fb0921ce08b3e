"""Server-side messages (problem details) in the languages the UI offers; German is the source."""

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

SOURCE_LANGUAGE = "de"
LOCAL_TIME = ZoneInfo("Europe/Berlin")
_CATALOGS = Path(__file__).parent


@cache
def catalog(language: str) -> dict[str, str]:
    """The message catalog of `language` (empty when there is none)."""
    path = _CATALOGS / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def available_languages() -> list[str]:
    return sorted(p.stem for p in _CATALOGS.glob("*.json"))


def translate(key: str, language: str, **params: Any) -> str:
    """The message `key` in `language`, falling back to German, with params filled in."""
    template = catalog(language).get(key) or catalog(SOURCE_LANGUAGE).get(key) or key
    try:
        return template.format(**{name: localised(v, language) for name, v in params.items()})
    except (KeyError, IndexError):
        return template


def localised(value: Any, language: str) -> Any:
    """Times (in Europe/Berlin), dates and whole numbers written as readers of `language` do."""
    if isinstance(value, datetime):
        local = value.astimezone(LOCAL_TIME)
        day = format_date(local, "medium", locale=language)
        return f"{day} {format_time(local, 'short', locale=language)}"
    if isinstance(value, date):
        return format_date(value, "medium", locale=language)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, locale=language)
    return value


def negotiate(accept_language: str | None, supported: list[str] | tuple[str, ...]) -> str:
    """Best supported language for an Accept-Language header (RFC 9110 q-values)."""
    if not accept_language:
        return SOURCE_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower()))
    for neg_quality, _, tag in sorted(ranked):
        if neg_quality == 0:
            break
        primary = tag.split("-")[0]
        if primary in supported:
            return primary
    return SOURCE_LANGUAGE


def megabytes(size: int) -> str:
    """A byte limit as residents read it: whole megabytes, rounded down (10485760 → "10")."""
    if size >= 2**20:
        return str(size // 2**20)
    return f"{size / 2**20:.2g}"
