"""Counts for planners: by category, status, source and week; most supported; over time."""

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from geoapp.domain import Consultation, Contribution, ContributionQuery, Source, Status
from geoapp.i18n import LOCAL_TIME
from geoapp.models import CountOverTime, PosterCount, Statistics, SupportedContribution
from geoapp.store.base import Store

TOP = 10


def for_consultation(store: Store, consultation: Consultation) -> Statistics:
    """Every contribution of the consultation counted; periods in German local time."""
    pins = store.list_contributions(ContributionQuery(consultation.id, statuses=tuple(Status)))
    by_category = {c.key: 0 for c in consultation.categories}
    by_category.update(Counter(p.category for p in pins))
    published = [p for p in pins if p.status == Status.PUBLISHED]
    top = sorted(published, key=lambda p: (-p.support_count, p.created_at))[:TOP]
    return Statistics(
        consultation=consultation.slug,
        total=len(pins),
        by_category=by_category,
        by_status=_all_counted(Status, (p.status for p in pins)),
        by_source=_all_counted(Source, (p.source for p in pins)),
        by_week=_over_time(pins, _iso_week),
        by_day=_over_time(pins, lambda moment: moment.date().isoformat()),
        most_supported=[
            SupportedContribution(
                id=p.id,
                category=p.category,
                text=p.text,
                support_count=p.support_count,
                created_at=p.created_at,
            )
            for p in top
        ],
        by_poster=_per_poster(store, consultation),
    )


def _per_poster(store: Store, consultation: Consultation) -> list[PosterCount]:
    """Every poster of the consultation with the pins it brought (0 for one never used)."""
    counts = store.pins_per_poster(consultation.id)
    return [
        PosterCount(
            key=poster.key,
            place=poster.place,
            coordinates=(poster.lon, poster.lat),
            count=counts.get(poster.key, 0),
        )
        for poster in store.list_posters(consultation.id)
    ]


def _all_counted(kinds: Iterable[str], values: Iterable[str]) -> dict[str, int]:
    """Counts per value, with a 0 for each kind that does not occur."""
    counts = {str(kind): 0 for kind in kinds}
    counts.update(Counter(str(v) for v in values))
    return counts


def _over_time(
    pins: list[Contribution], period_of: Callable[[datetime], str]
) -> list[CountOverTime]:
    counts = Counter(period_of(p.created_at.astimezone(LOCAL_TIME)) for p in pins)
    result, running = [], 0
    for period in sorted(counts):
        running += counts[period]
        result.append(CountOverTime(period=period, count=counts[period], cumulative=running))
    return result


def _iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"
