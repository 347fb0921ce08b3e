"""OGC API – Features under /ogc through the ASGI app: what each collection holds, paging,
filters, CRS, representations, planner tokens, and every refusal as problem+json."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pyproj
import pytest
from fastapi.testclient import TestClient

from geoapp.domain import ConsultationStatus, Status
from geoapp.services import api_tokens
from geoapp.store import Store
from tests.factories import (
    INSIDE,
    make_consultation,
    make_contribution,
    make_planner,
)

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG25832 = "http://www.opengis.net/def/crs/EPSG/0/25832"
START = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def link(body: dict, rel: str, media: str | None = None) -> str | None:
    for item in body["links"]:
        if item["rel"] == rel and (media is None or item["type"] == media):
            return item["href"]
    return None


def path_of(href: str) -> str:
    parts = urlsplit(href)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def token_for(store: Store, username: str = "anna") -> str:
    if store.get_planner(username) is None:
        make_planner(store, username)
    return api_tokens.create(store, username, "QGIS", datetime.now(UTC))[1]


def test_landing_page_links_everything_absolutely(app_client: TestClient) -> None:
    body = app_client.get("/ogc").json()
    rels = {item["rel"]: item for item in body["links"]}
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert all(item["href"].startswith("http://testserver/ogc") for item in body["links"])
    described = app_client.get(path_of(rels["service-desc"]["href"]))
    assert described.headers["content-type"] == "application/vnd.oai.openapi+json;version=3.0"


def test_conformance_declares_core_geojson_html_openapi_and_crs(app_client: TestClient) -> None:
    classes = app_client.get("/ogc/conformance").json()["conformsTo"]
    for part in ("core", "geojson", "html", "oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{part}" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes


def test_openapi_declares_limit_with_default_and_maximum(app_client: TestClient) -> None:
    document = app_client.get("/ogc/api").json()
    assert document["openapi"].startswith("3.0")
    schema = document["components"]["parameters"]["limit"]["schema"]
    assert schema == {"type": "integer", "minimum": 1, "maximum": 10_000, "default": 100}
    items = document["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    assert {"$ref": "#/components/parameters/limit"} in items


def test_ogc_routes_stay_out_of_the_apps_own_openapi(app_client: TestClient) -> None:
    assert not [p for p in app_client.get("/openapi.json").json()["paths"] if p.startswith("/ogc")]


def test_collections_are_public_open_data_consultations_and_perimeters(
    app_client: TestClient, app_store: Store
) -> None:
    make_consultation(app_store, slug="offen")
    make_consultation(app_store, slug="geschlossen-daten", open_data=False)
    make_consultation(app_store, slug="entwurf", status=ConsultationStatus.DRAFT)
    body = app_client.get("/ogc/collections").json()
    ids = [c["id"] for c in body["collections"]]
    assert ids == ["offen", "consultation_perimeters"]
    [pins] = [c for c in body["collections"] if c["id"] == "offen"]
    assert pins["crs"] == [CRS84, EPSG4326, EPSG25832]
    assert pins["storageCrs"] == CRS84
    assert pins["extent"]["spatial"]["bbox"] == [[7.7078, 51.5748, 7.7178, 51.5808]]
    assert link(pins, "items", "application/geo+json").endswith("/ogc/collections/offen/items")
    assert app_client.get("/ogc/collections/geschlossen-daten").status_code == 404
    assert app_client.get("/ogc/collections/entwurf").status_code == 404
    perimeters = app_client.get("/ogc/collections/consultation_perimeters/items").json()
    # In the order they open (here: the order made).
    assert [f["id"] for f in perimeters["features"]] == ["offen", "geschlossen-daten"]
    assert perimeters["features"][1]["properties"] == {
        "consultation": "geschlossen-daten",
        "title": "Test geschlossen-daten",
    }


def test_items_are_published_pins_with_open_data_properties_never_email(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    shown = make_contribution(app_store, consultation, contact_email="erika@example.org")
    make_contribution(app_store, consultation, status=Status.PENDING, text="Noch nicht geprüft")
    response = app_client.get("/ogc/collections/test/items")
    assert response.headers["content-type"] == "application/geo+json"
    assert response.headers["content-crs"] == f"<{CRS84}>"
    body = response.json()
    assert body["numberMatched"] == body["numberReturned"] == 1
    [feature] = body["features"]
    assert feature["id"] == shown.id
    assert feature["geometry"] == {"type": "Point", "coordinates": INSIDE}
    assert feature["properties"]["category_label"] == "Sitzen & Aufenthalt"
    assert "contact_email" not in feature["properties"]
    assert "erika@example.org" not in response.text
    assert "participant_hash" not in response.text
    single = app_client.get(f"/ogc/collections/test/items/{shown.id}").json()
    assert single["properties"] == feature["properties"]


def test_paging_walks_forward_and_back_with_keyset_links(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    made = [
        make_contribution(app_store, consultation, created_at=START + timedelta(minutes=i))
        for i in range(7)
    ]
    first = app_client.get("/ogc/collections/test/items?limit=3").json()
    assert first["numberMatched"] == 7
    assert link(first, "prev") is None
    assert [f["id"] for f in first["features"]] == [m.id for m in made[:3]]
    second = app_client.get(path_of(link(first, "next", "application/geo+json"))).json()
    assert [f["id"] for f in second["features"]] == [m.id for m in made[3:6]]
    assert parse_qs(urlsplit(link(second, "next")).query)["limit"] == ["3"]
    last = app_client.get(path_of(link(second, "next"))).json()
    assert [f["id"] for f in last["features"]] == [made[6].id]
    assert link(last, "next") is None
    back = app_client.get(path_of(link(last, "prev"))).json()
    assert [f["id"] for f in back["features"]] == [m.id for m in made[3:6]]


def test_filters_by_bbox_datetime_and_category(app_client: TestClient, app_store: Store) -> None:
    consultation = make_consultation(app_store)
    west = make_contribution(app_store, consultation, [7.7090, 51.5778], created_at=START)
    east = make_contribution(
        app_store, consultation, [7.7160, 51.5778], created_at=START + timedelta(days=1)
    )
    parked = make_contribution(
        app_store, consultation, [7.7161, 51.5779], category="parken-verkehr"
    )

    def ids(query: str) -> set[str]:
        response = app_client.get(f"/ogc/collections/test/items?{query}")
        assert response.status_code == 200, response.text
        return {f["id"] for f in response.json()["features"]}

    assert ids("bbox=7.7080,51.5750,7.7100,51.5800") == {west.id}
    assert ids(f"bbox=51.5750,7.7150,51.5800,7.7170&bbox-crs={EPSG4326}") == {east.id, parked.id}
    # Around the east pins in ETRS89 / UTM 32N.
    x, y = pyproj.Transformer.from_crs(4326, 25832, always_xy=True).transform(7.7160, 51.5778)
    box = f"{x - 50},{y - 50},{x + 50},{y + 50}"
    assert ids(f"bbox={box}&bbox-crs={EPSG25832}") == {east.id, parked.id}
    assert ids("datetime=2026-05-04T09:30:00Z") == {west.id}
    assert ids("datetime=2026-05-04T12:00:00Z/2026-05-06T00:00:00Z") == {east.id}
    assert ids("datetime=../2026-05-05T09:30:00Z") == {west.id, east.id}
    assert ids("category=parken-verkehr") == {parked.id}
    queryables = app_client.get("/ogc/collections/test/queryables")
    assert queryables.headers["content-type"] == "application/schema+json"
    assert queryables.json()["properties"]["category"]["enum"] == [
        "sitzen-aufenthalt",
        "parken-verkehr",
    ]


def test_crs_epsg_4326_is_latitude_first_and_25832_metres(
    app_client: TestClient, app_store: Store
) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    lat_first = app_client.get(f"/ogc/collections/test/items/{pin.id}?crs={EPSG4326}")
    assert lat_first.headers["content-crs"] == f"<{EPSG4326}>"
    assert lat_first.json()["geometry"]["coordinates"] == [INSIDE[1], INSIDE[0]]
    utm = app_client.get(f"/ogc/collections/test/items?crs={EPSG25832}")
    assert utm.headers["content-crs"] == f"<{EPSG25832}>"
    x, y = pyproj.Transformer.from_crs(4326, 25832, always_xy=True).transform(*INSIDE)
    got = utm.json()["features"][0]["geometry"]["coordinates"]
    assert abs(got[0] - x) < 0.01 and abs(got[1] - y) < 0.01


def test_html_by_f_or_accept_header_in_the_requests_language(
    app_client: TestClient, app_store: Store
) -> None:
    make_consultation(app_store)
    page = app_client.get(
        "/ogc/collections/test", headers={"Accept": "text/html", "Accept-Language": "en"}
    )
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in page.text
    assert "Contributions: Test test (en)" in page.text
    assert 'id="ogc-map"' in page.text
    assert app_client.get("/ogc?f=html", headers={"Accept-Language": "ar"}).text.count('dir="rtl"')
    json_wins = app_client.get("/ogc/collections", headers={"Accept": "application/json"})
    assert json_wins.headers["content-type"] == "application/json"


def test_user_text_on_html_pages_is_escaped(app_client: TestClient, app_store: Store) -> None:
    consultation = make_consultation(app_store)
    make_contribution(app_store, consultation, text="<script>alert(1)</script>")
    page = app_client.get("/ogc/collections/test/items?f=html").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("bbox=7.7,51.5,7.8", 400, "ogc_bbox_invalid"),
        ("bbox=7.8,51.5,7.7,51.6", 400, "ogc_bbox_invalid"),
        ("datetime=yesterday", 400, "ogc_datetime_invalid"),
        ("datetime=2026-05-06T00:00:00Z/2026-05-01T00:00:00Z", 400, "ogc_datetime_invalid"),
        ("limit=10001", 400, "ogc_limit_too_large"),
        ("limit=0", 400, "ogc_limit_invalid"),
        ("crs=EPSG:3857", 400, "ogc_crs_unsupported"),
        ("bbox=1,2,3,4&bbox-crs=EPSG:31467", 400, "ogc_crs_unsupported"),
        ("cursor=bm90LWEtY3Vyc29y", 400, "ogc_cursor_invalid"),
        ("category=gibt-es-nicht", 400, "category_unknown"),
        ("f=xml", 400, "ogc_format_unknown"),
    ],
)
def test_refuses_a_bad_query_as_problem_in_the_requests_language(
    app_client: TestClient, app_store: Store, query: str, status: int, code: str
) -> None:
    make_consultation(app_store)
    response = app_client.get(
        f"/ogc/collections/test/items?{query}", headers={"Accept-Language": "en"}
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code
    assert problem["title"] == "Bad request"
    german = app_client.get(f"/ogc/collections/test/items?{query}").json()
    assert german["detail"] != problem["detail"]


def test_limit_over_the_maximum_names_the_maximum(app_client: TestClient, app_store: Store):
    make_consultation(app_store)
    response = app_client.get("/ogc/collections/test/items?limit=20000")
    assert "10.000" in response.json()["detail"]


def test_unknown_collection_and_feature_are_404_problems(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    pending = make_contribution(app_store, consultation, status=Status.PENDING)
    for path, code in (
        ("/ogc/collections/gibt-es-nicht", "ogc_collection_not_found"),
        ("/ogc/collections/gibt-es-nicht/items", "ogc_collection_not_found"),
        ("/ogc/collections/test/items/gibt-es-nicht", "ogc_feature_not_found"),
        (f"/ogc/collections/test/items/{pending.id}", "ogc_feature_not_found"),
    ):
        response = app_client.get(path, headers={"Accept-Language": "tr"})
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == code
        assert response.json()["title"] == "Bulunamadı"


def test_planner_collection_with_token_shows_every_status_but_no_email(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store, status=ConsultationStatus.DRAFT)
    make_contribution(app_store, consultation, status=Status.PENDING, contact_email="e@x.org")
    make_contribution(app_store, consultation, status=Status.REJECTED)
    token = token_for(app_store)
    headers = {"Authorization": f"Bearer {token}"}
    listed = app_client.get("/ogc/collections", headers=headers)
    assert "planner_test" in [c["id"] for c in listed.json()["collections"]]
    assert listed.headers["cache-control"] == "no-store"
    response = app_client.get("/ogc/collections/planner_test/items", headers=headers)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    statuses = sorted(f["properties"]["status"] for f in response.json()["features"])
    assert statuses == ["pending", "rejected"]
    assert {"status_reason", "response_status", "updated_at"} <= set(
        response.json()["features"][0]["properties"]
    )
    assert "e@x.org" not in response.text


def test_planner_collection_is_refused_without_a_live_token(
    app_client: TestClient, app_store: Store
) -> None:
    make_consultation(app_store)
    token = token_for(app_store)
    assert "planner_test" not in app_client.get("/ogc/collections").text
    missing = app_client.get("/ogc/collections/planner_test/items")
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert missing.json()["code"] == "api_token_required"
    made_up = app_client.get(
        "/ogc/collections/planner_test/items", headers={"Authorization": "Bearer geoapp_falsch"}
    )
    assert made_up.json()["code"] == "api_token_invalid"
    [(stored, _planner)] = app_store.list_api_tokens()
    api_tokens.revoke(app_store, stored.id, datetime.now(UTC))
    revoked = app_client.get(
        "/ogc/collections/planner_test/items", headers={"Authorization": f"Bearer {token}"}
    )
    assert revoked.status_code == 401 and revoked.json()["code"] == "api_token_invalid"


def test_token_of_a_disabled_account_is_refused(app_client: TestClient, app_store: Store) -> None:
    make_consultation(app_store)
    token = token_for(app_store)
    app_store.set_planner_disabled("anna", True)
    response = app_client.get(
        "/ogc/collections/planner_test", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


def test_token_authorises_no_planner_route(app_client: TestClient, app_store: Store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation, status=Status.PENDING)
    headers = {"Authorization": f"Bearer {token_for(app_store)}"}
    assert app_client.get("/api/planner/contributions", headers=headers).status_code == 401
    decision = app_client.post(
        f"/api/planner/contributions/{pin.id}/status",
        headers=headers,
        json={"status": "published"},
    )
    assert decision.status_code == 401
    edit = app_client.patch(
        f"/api/planner/contributions/{pin.id}", headers=headers, json={"text": "geändert"}
    )
    assert edit.status_code == 401
    assert app_store.get_contribution(pin.id).status == Status.PENDING


def test_every_resource_has_an_html_page(app_client: TestClient, app_store: Store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    for path in (
        "/ogc",
        "/ogc/conformance",
        "/ogc/api",
        "/ogc/collections",
        "/ogc/collections/test",
        "/ogc/collections/test/queryables",
        "/ogc/collections/test/items",
        f"/ogc/collections/test/items/{pin.id}",
        "/ogc/collections/consultation_perimeters",
        "/ogc/collections/consultation_perimeters/queryables",
        "/ogc/collections/consultation_perimeters/items",
        "/ogc/collections/consultation_perimeters/items/test",
    ):
        response = app_client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert "<h1>" in response.text, path


def test_bbox_of_one_point_or_outside_the_projection_is_answered(
    app_client: TestClient, app_store: Store
) -> None:
    make_consultation(app_store)
    point = app_client.get(f"/ogc/collections/test/items?bbox=0,0,0,0&bbox-crs={EPSG25832}")
    assert point.status_code == 200
    far = app_client.get(f"/ogc/collections/test/items?bbox=0,0,1e300,1e300&bbox-crs={EPSG25832}")
    assert far.status_code == 400
    assert far.json()["code"] == "ogc_bbox_invalid"
