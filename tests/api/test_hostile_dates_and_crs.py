"""Times UTC cannot hold and digits int() cannot read are refused with a 422, not a 500.

9999-12-31T23:59:59-23:59 is valid ISO 8601, but in UTC it falls in the year 10000, which
no Python datetime (and so no stored time) can hold; "①" passes str.isdigit().
"""

import pytest
from fastapi.testclient import TestClient

from geoapp.store.base import Store
from tests.factories import make_consultation, sign_in_as

BEYOND_9999 = "9999-12-31T23:59:59-23:59"
BEFORE_YEAR_1 = "0001-01-01T00:00:00+23:59"


@pytest.fixture
def planner(app_client: TestClient, app_store: Store) -> TestClient:
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    return app_client


def assert_refused(response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("moment", [BEYOND_9999, BEFORE_YEAR_1])
@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
def test_consultation_dates_utc_cannot_hold_are_refused(
    planner: TestClient, app_store: Store, field: str, moment: str
) -> None:
    before = app_store.get_consultation("test")
    response = planner.patch("/api/planner/consultations/test", json={field: moment})
    assert_refused(response, field)
    assert app_store.get_consultation("test") == before


@pytest.mark.parametrize("route", ["export", "export/package"])
def test_an_export_filtered_by_a_time_utc_cannot_hold_is_refused(
    planner: TestClient, route: str
) -> None:
    url = f"/api/planner/consultations/test/{route}"
    assert_refused(planner.get(url, params={"created_from": BEYOND_9999}), "created_from")
    assert_refused(planner.get(url, params={"created_to": BEFORE_YEAR_1}), "created_to")


def test_an_export_filter_time_with_a_zone_still_counts_in_utc(planner: TestClient) -> None:
    params = {"format": "csv", "created_from": "2000-01-01T00:00:00+05:00"}
    response = planner.get("/api/planner/consultations/test/export", params=params)
    assert response.status_code == 200, response.text


def test_a_crs_in_digits_that_are_not_ascii_is_refused(planner: TestClient) -> None:
    response = planner.get("/api/planner/consultations/test/export", params={"crs": "EPSG:①"})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "crs_invalid"
