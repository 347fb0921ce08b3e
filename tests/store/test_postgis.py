"""PostGIS specifics: the geometry column follows the pin, and bbox queries use its GiST index."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from sqlalchemy import select, text

from geoapp.domain import BBox, ContributionQuery
from geoapp.store import Store, open_store
from geoapp.store.schema import contributions
from tests.factories import make_consultation, make_contribution
from tests.postgres import PostgresCluster


@pytest.fixture
def postgis(postgres_url: str) -> Iterator[Store]:
    store = open_store(postgres_url)
    yield store
    store.close()


def _geom(store: Store, contribution_id: str) -> str | None:
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        return conn.execute(
            text("SELECT ST_AsEWKT(geom) FROM contributions WHERE id = :id"),
            {"id": contribution_id},
        ).scalar()


def test_geometry_column_is_kept_from_the_pins_geojson(postgis: Store) -> None:
    pin = make_contribution(postgis, make_consultation(postgis), coordinates=[7.71, 51.577])
    assert _geom(postgis, pin.id) == "SRID=4326;POINT(7.71 51.577)"
    moved = replace(pin, geometry={"type": "Point", "coordinates": [7.712, 51.578]})
    with postgis.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            contributions.update()
            .where(contributions.c.id == pin.id)
            .values(geometry=moved.geometry)
        )
    assert _geom(postgis, pin.id) == "SRID=4326;POINT(7.712 51.578)"


def test_bbox_query_uses_the_gist_index(postgis: Store) -> None:
    consultation = make_consultation(postgis)
    make_contribution(postgis, consultation)
    query = ContributionQuery(consultation_id=consultation.id, bbox=BBox(7.70, 51.57, 7.72, 51.58))
    listing = select(contributions.c.id).where(*postgis._filters(query))  # type: ignore[attr-defined]
    with postgis.engine.connect() as conn:  # type: ignore[attr-defined]
        # With a handful of rows the planner would rightly scan the table; forbid that, and
        # the consultation's indexes, to see that the bbox condition can use the GiST index.
        conn.execute(text("SET enable_seqscan = off"))
        for (index,) in conn.execute(
            text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'contributions' "
                "AND indexname NOT IN ('ix_contributions_geom', 'contributions_pkey') "
                "AND indexdef LIKE '%(consultation_id%'"
            )
        ):
            conn.execute(text(f'DROP INDEX "{index}"'))
        compiled = listing.compile(conn, compile_kwargs={"literal_binds": True})
        plan = "\n".join(conn.execute(text(f"EXPLAIN {compiled}")).scalars())
        conn.rollback()
    assert "ix_contributions_geom" in plan, plan
    assert len(postgis.list_contributions(query)) == 1


def test_workers_starting_at_once_on_an_empty_database_migrate_it_once(
    postgres_cluster: PostgresCluster,
) -> None:
    with postgres_cluster.admin() as conn:
        conn.execute("CREATE DATABASE blank")
    try:
        url = postgres_cluster.url("blank")
        with ThreadPoolExecutor(max_workers=4) as pool:
            stores = list(pool.map(lambda _: open_store(url), range(4)))
        consultation = make_consultation(stores[0])
        assert all(s.get_consultation(consultation.slug) == consultation for s in stores)
        for store in stores:
            store.close()
    finally:
        with postgres_cluster.admin() as conn:
            conn.execute("DROP DATABASE blank WITH (FORCE)")


def test_queue_search_uses_the_german_full_text_index(postgis: Store) -> None:
    consultation = make_consultation(postgis)
    benches = make_contribution(postgis, consultation, text="Mehr Bänke vor der Bücherei!")
    make_contribution(postgis, consultation, text="Eine Sitzbank am Teich.")
    searched = select(contributions.c.id).where(postgis._text_clause(["Bänke"]))  # type: ignore[attr-defined]
    with postgis.engine.connect() as conn:  # type: ignore[attr-defined]
        conn.execute(text("SET enable_seqscan = off"))
        compiled = searched.compile(conn, compile_kwargs={"literal_binds": True})
        plan = "\n".join(conn.execute(text(f"EXPLAIN {compiled}")).scalars())
        found = conn.execute(searched).scalars().all()
        conn.rollback()
    assert "ix_contributions_text_search" in plan, plan
    # German stems: "Bank" and "Banke" find "Bänke", the compound "Sitzbank" is another word.
    assert found == [benches.id]
    for words in (["Bank"], ["banke"]):
        matched = select(contributions.c.id).where(postgis._text_clause(words))  # type: ignore[attr-defined]
        with postgis.engine.connect() as conn:  # type: ignore[attr-defined]
            assert conn.execute(matched).scalars().all() == [benches.id], words
