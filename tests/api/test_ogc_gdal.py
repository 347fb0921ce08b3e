"""GDAL's OAPIF driver (through pyogrio) reads every collection from a real uvicorn server.

GDAL needs real HTTP, so the app runs in a process of its own on a database filled here.
5,000 pins with a page size of 1,000 take GDAL through several pages of `next` links.
"""

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import numpy as np
import pyogrio
import pyproj
import pytest
from pyogrio.errors import DataLayerError, DataSourceError

from geoapp.config import Settings
from geoapp.domain import Contribution, Status
from geoapp.services import api_tokens
from geoapp.store import open_store
from tests.factories import PERIMETER, make_consultation, make_contribution, make_planner
from tests.live_server import ServerProcess

PINS = 5_000
PAGE = 1_000


@dataclass
class Served:
    url: str
    pins: dict[str, list[float]]
    """Published pin id → stored [lon, lat]."""
    token: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data_dir: Path = tmp_path_factory.mktemp("ogc-gdal")
    store = open_store(Settings(data_dir=data_dir).effective_database_url)
    try:
        consultation = make_consultation(store, slug="viele")
        (min_lon, min_lat), (max_lon, max_lat) = (
            PERIMETER["coordinates"][0][0],
            PERIMETER["coordinates"][0][2],
        )
        rng = random.Random(13)
        start = datetime(2026, 5, 4, tzinfo=UTC)
        pins = [
            Contribution(
                id=str(uuid.uuid4()),
                consultation_id=consultation.id,
                geometry={
                    "type": "Point",
                    "coordinates": [
                        round(rng.uniform(min_lon, max_lon), 7),
                        round(rng.uniform(min_lat, max_lat), 7),
                    ],
                },
                category=rng.choice(["sitzen-aufenthalt", "parken-verkehr"]),
                text=f"Beitrag {i}",
                status=Status.PUBLISHED,
                # Many pins share a second, so page boundaries fall inside equal times.
                created_at=start + timedelta(seconds=i // 7),
                updated_at=start,
            )
            for i in range(PINS)
        ]
        store.add_contributions(pins, [])
        make_contribution(store, consultation, status=Status.PENDING, text="wartet")
        make_planner(store, "anna")
        _token, secret = api_tokens.create(store, "anna", "GDAL", datetime.now(UTC))
    finally:
        store.close()
    with ServerProcess(data_dir) as server:
        yield Served(
            server.url,
            {p.id: p.geometry["coordinates"] for p in pins},
            secret,
        )


def read(served: Served, layer: str, **options: str):
    return pyogrio.read_dataframe(f"OAPIF:{served.url}/ogc", layer=layer, **options)


def test_gdal_lists_the_public_collections(served: Served) -> None:
    layers = pyogrio.list_layers(f"OAPIF:{served.url}/ogc")[:, 0].tolist()
    assert layers == ["viele", "consultation_perimeters"]


def test_gdal_reads_every_published_pin_across_pages_in_crs84(served: Served) -> None:
    frame = read(served, "viele", PAGE_SIZE=str(PAGE))
    assert len(frame) == PINS
    assert frame.crs.to_string() == "OGC:CRS84"
    assert "contact_email" not in frame.columns
    assert set(frame["category"]) == {"sitzen-aufenthalt", "parken-verkehr"}
    ids = frame["id"].tolist()
    assert sorted(ids) == sorted(served.pins)
    stored = np.array([served.pins[i] for i in ids])
    got = np.column_stack([frame.geometry.x, frame.geometry.y])
    # 1e-7° is about 1 cm: the stored points come back unchanged.
    assert np.abs(got - stored).max() < 1e-7


def test_gdal_reads_pins_in_epsg_25832_through_part_2(served: Served) -> None:
    frame = read(
        served,
        "viele",
        PAGE_SIZE=str(PAGE),
        CRS="http://www.opengis.net/def/crs/EPSG/0/25832",
    )
    assert len(frame) == PINS
    assert frame.crs.to_epsg() == 25832
    stored = np.array([served.pins[i] for i in frame["id"]])
    x, y = pyproj.Transformer.from_crs(4326, 25832, always_xy=True).transform(
        stored[:, 0], stored[:, 1]
    )
    distance = np.hypot(frame.geometry.x - x, frame.geometry.y - y)
    assert distance.max() < 0.01


def test_gdal_reads_the_perimeters(served: Served) -> None:
    frame = read(served, "consultation_perimeters")
    assert frame["consultation"].tolist() == ["viele"]
    assert frame.geometry.iloc[0].bounds == pytest.approx((7.7078, 51.5748, 7.7178, 51.5808))


def test_gdal_reads_the_planner_collection_with_a_token_only(served: Served) -> None:
    with pytest.raises((DataLayerError, DataSourceError)):
        read(served, "planner_viele")
    unauthorised = httpx.get(f"{served.url}/ogc/collections/planner_viele/items")
    assert unauthorised.status_code == 401
    # GDAL sends `Authorization: Bearer …` so (its OAPIF driver ignores GDAL_HTTP_HEADERS).
    bearer = {"GDAL_HTTP_AUTH": "BEARER", "GDAL_HTTP_BEARER": served.token}
    pyogrio.set_gdal_config_options(bearer)
    try:
        frame = read(served, "planner_viele", PAGE_SIZE=str(PAGE))
    finally:
        pyogrio.set_gdal_config_options(dict.fromkeys(bearer))
    assert len(frame) == PINS + 1
    assert sorted(set(frame["status"])) == ["pending", "published"]
