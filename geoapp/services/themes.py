"""Themes at a glance for planners: what a consultation's pins say, computed on this server.

The texts are read lean from the store (newest first, at most `max_texts` pins holding at most
`max_words` words together) and analysed by `text_themes` in this process: no text is sent
anywhere. The work is bounded by those caps and by a gate (a few computations per process at
once); the route runs it in the thread pool, off the event loop. Nothing is cached: a capped
computation is cheap enough to run per request.
"""

import json
from dataclasses import dataclass
from typing import Any

from geoapp import geo
from geoapp.config import Settings
from geoapp.domain import Consultation, Geometry, Status, ThemeText, ThemeTextQuery
from geoapp.errors import InvalidInput
from geoapp.models import (
    LanguageThemes,
    ThemeGroup,
    ThemePin,
    ThemeRepresentative,
    Themes,
    ThemeTerm,
)
from geoapp.security.work_gates import WorkGate
from geoapp.services import text_themes
from geoapp.services.contributions import require_category
from geoapp.store.base import Store


@dataclass(frozen=True)
class ThemeLimits:
    max_texts: int
    max_words: int
    max_features: int


def limits_of(settings: Settings) -> ThemeLimits:
    return ThemeLimits(
        settings.themes_max_texts, settings.themes_max_words, settings.themes_max_features
    )


DEFAULT_LIMITS = limits_of(Settings.model_construct())
"""The settings' defaults, for callers that were given no settings (tests, library use)."""


def for_consultation(
    store: Store,
    consultation: Consultation,
    limits: ThemeLimits,
    gate: WorkGate | None = None,
    category: str | None = None,
    area: Geometry | None = None,
) -> Themes:
    """The themes of the consultation's published pins, of one topic and area if given."""
    if category is not None:
        require_category(consultation, category)
    query = ThemeTextQuery(
        consultation.id,
        statuses=(Status.PUBLISHED,),
        categories=(category,) if category else (),
        area=area,
        limit=limits.max_texts,
    )
    return of_query(store, consultation, query, limits, gate, category)


def of_query(
    store: Store,
    consultation: Consultation,
    query: ThemeTextQuery,
    limits: ThemeLimits,
    gate: WorkGate | None = None,
    category: str | None = None,
) -> Themes:
    """The themes of the pins `query` matches (exports pass their own filter)."""
    found = store.theme_texts(query)
    texts = text_themes.within_budget(found.texts, limits.max_words)
    if gate is None:
        analysed = text_themes.analyse(texts, limits.max_features)
    else:
        with gate.slot():
            analysed = text_themes.analyse(texts, limits.max_features)
    return _themes(consultation, found.matched, texts, analysed, limits, category, query.area)


def parse_area(value: str | None, max_vertices: int) -> Geometry | None:
    """A drawn area from a query parameter: a GeoJSON (Multi)Polygon in WGS84, or None."""
    if value is None:
        return None
    try:
        geometry: Any = json.loads(value)
    # RecursionError: "[[[[…" nested deeper than the JSON parser goes.
    except (ValueError, RecursionError):
        raise InvalidInput("themes_area_invalid", field="area", max=max_vertices) from None
    try:
        return geo.parse_perimeter(geometry, max_vertices)
    except InvalidInput:
        raise InvalidInput("themes_area_invalid", field="area", max=max_vertices) from None


def _themes(
    consultation: Consultation,
    matched: int,
    texts: list[ThemeText],
    analysed: list[text_themes.LanguageThemes],
    limits: ThemeLimits,
    category: str | None,
    area: Geometry | None,
) -> Themes:
    message = None
    if not texts:
        message = "no_pins"
    elif not any(lang.groups for lang in analysed):
        message = "too_few_to_group"
    return Themes(
        consultation=consultation.slug,
        category=category,
        area=area is not None,
        matched=matched,
        analysed=len(texts),
        max_texts=limits.max_texts,
        max_words=limits.max_words,
        max_features=limits.max_features,
        capped=matched > len(texts),
        message=message,
        languages=[_language(lang) for lang in analysed],
    )


def _language(themes: text_themes.LanguageThemes) -> LanguageThemes:
    return LanguageThemes(
        language=themes.language,
        pins=themes.pins,
        stemmed=themes.stemmed,
        terms=[ThemeTerm(text=t.text, count=t.count) for t in themes.terms],
        groups=[_group(number, g) for number, g in enumerate(themes.groups, start=1)],
        ungrouped=themes.ungrouped,
    )


def _group(number: int, group: text_themes.Group) -> ThemeGroup:
    medoid = group.representative
    return ThemeGroup(
        number=number,
        terms=group.terms,
        count=len(group.pins),
        representative=ThemeRepresentative(
            id=medoid.id, category=medoid.category, text=medoid.text
        ),
        pins=[_pin(p) for p in group.pins],
    )


def _pin(text: ThemeText) -> ThemePin:
    lon, lat = text.point or (None, None)
    return ThemePin(id=text.id, lon=lon, lat=lat)
