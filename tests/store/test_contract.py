"""The Store contract: every backend must pass these (parametrised in conftest.store)."""

from datetime import UTC, datetime, timedelta

from geoapp.store import Store, open_store
from geoapp.store.base import BBox, ContributionQuery, Moderation, Status
from tests.factories import INSIDE, make_consultation, make_contribution


def test_consultation_round_trips_with_translations_and_categories(store: Store) -> None:
    made = make_consultation(store, slug="ortsmitte", moderation=Moderation.PRE)
    loaded = store.get_consultation("ortsmitte")
    assert loaded == made
    assert loaded.opens_at.tzinfo is not None
    assert [c.key for c in loaded.categories] == ["sitzen-aufenthalt", "parken-verkehr"]


def test_unknown_slug_is_none(store: Store) -> None:
    assert store.get_consultation("gibt-es-nicht") is None


def test_contribution_round_trips_including_private_email(store: Store) -> None:
    consultation = make_consultation(store)
    made = make_contribution(store, consultation, contact_email="erika@example.org")
    loaded = store.get_contribution(made.id)
    assert loaded == made
    assert loaded.contact_email == "erika@example.org"


def test_listing_filters_by_status_newest_first(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    old = make_contribution(store, consultation, created_at=now - timedelta(days=2))
    new = make_contribution(store, consultation, created_at=now)
    make_contribution(store, consultation, status=Status.PENDING)
    make_contribution(store, consultation, status=Status.REJECTED)
    query = ContributionQuery(consultation_id=consultation.id)
    assert [c.id for c in store.list_contributions(query)] == [new.id, old.id]
    assert store.count_contributions(query) == 2


def test_listing_keeps_consultations_apart(store: Store) -> None:
    first = make_consultation(store, slug="a")
    second = make_consultation(store, slug="b")
    mine = make_contribution(store, first)
    make_contribution(store, second)
    listed = store.list_contributions(ContributionQuery(consultation_id=first.id))
    assert [c.id for c in listed] == [mine.id]


def test_listing_filters_by_category(store: Store) -> None:
    consultation = make_consultation(store)
    parking = make_contribution(store, consultation, category="parken-verkehr")
    make_contribution(store, consultation, category="sitzen-aufenthalt")
    query = ContributionQuery(consultation_id=consultation.id, categories=["parken-verkehr"])
    assert [c.id for c in store.list_contributions(query)] == [parking.id]


def test_bbox_returns_only_pins_inside_it(store: Store) -> None:
    consultation = make_consultation(store)
    west = make_contribution(store, consultation, coordinates=[7.7090, 51.5778])
    east = make_contribution(store, consultation, coordinates=[7.7170, 51.5778])
    query = ContributionQuery(
        consultation_id=consultation.id, bbox=BBox(7.7080, 51.5700, 7.7120, 51.5800)
    )
    assert [c.id for c in store.list_contributions(query)] == [west.id]
    wide = ContributionQuery(consultation_id=consultation.id, bbox=BBox(7.70, 51.57, 7.72, 51.59))
    assert {c.id for c in store.list_contributions(wide)} == {west.id, east.id}


def test_bbox_on_the_edge_includes_the_point(store: Store) -> None:
    consultation = make_consultation(store)
    pin = make_contribution(store, consultation, coordinates=INSIDE)
    lon, lat = INSIDE
    query = ContributionQuery(consultation_id=consultation.id, bbox=BBox(lon, lat, lon, lat))
    assert [c.id for c in store.list_contributions(query)] == [pin.id]


def test_paging_with_limit_and_offset(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    made = [
        make_contribution(store, consultation, created_at=now - timedelta(minutes=i))
        for i in range(5)
    ]
    page = store.list_contributions(
        ContributionQuery(consultation_id=consultation.id, limit=2, offset=2)
    )
    assert [c.id for c in page] == [made[2].id, made[3].id]


def test_data_survives_reopening_and_migrating_again(store: Store, store_url: str) -> None:
    consultation = make_consultation(store)
    made = make_contribution(store, consultation)
    store.close()
    reopened = open_store(store_url)
    try:
        assert reopened.get_contribution(made.id) == made
    finally:
        reopened.close()
