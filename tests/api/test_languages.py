"""Refusals and consultation texts come back in the language the browser asks for."""

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.i18n import catalog
from tests.factories import INSIDE, make_consultation, with_form_token

LANGUAGES = Settings().languages


def post_empty_text(client: TestClient, accept_language: str):
    return client.post(
        "/api/consultations/test/contributions",
        json=with_form_token(
            client,
            {
                "geometry": {"type": "Point", "coordinates": INSIDE},
                "category": "sitzen-aufenthalt",
                "text": "",
                "consent": True,
            },
        ),
        headers={"Accept-Language": accept_language},
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_refusal_comes_back_in_the_requested_language(app_client, app_store, language) -> None:
    make_consultation(app_store)
    response = post_empty_text(app_client, language)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == catalog(language)["text_empty"]
    assert problem["title"] == catalog(language)["title_422"]
    assert problem["errors"] == [{"field": "text", "message": catalog(language)["text_empty"]}]
    if language != "de":
        assert problem["detail"] != catalog("de")["text_empty"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("uk-UA,uk;q=0.9,ru;q=0.8,en-US;q=0.7", "uk"),
        ("ar-SY", "ar"),
        ("fr-FR,fr;q=0.9,tr;q=0.8", "tr"),
        ("pl;q=0.5,ru", "ru"),
        ("fr-FR", "de"),
    ],
)
def test_browser_language_preferences_pick_the_offered_language(
    app_client, app_store, accept_language: str, expected: str
) -> None:
    make_consultation(app_store)
    problem = post_empty_text(app_client, accept_language).json()
    assert problem["detail"] == catalog(expected)["text_empty"]


@pytest.fixture(scope="module")
def demo_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(seed_demo=True, data_dir=tmp_path_factory.mktemp("demo"))
    with TestClient(create_app(settings)) as client:
        yield client


def demo_data() -> dict[str, dict]:
    path = Settings().reference_dir / "consultations.json"
    return {c["slug"]: c for c in json.loads(path.read_text(encoding="utf-8"))}


def test_turkish_visitor_sees_turkish_demo_titles(demo_client: TestClient) -> None:
    listed = demo_client.get("/api/consultations", headers={"Accept-Language": "tr"}).json()
    titles = {c["slug"]: c["title"] for c in listed}
    assert titles["ortsmitte"] == "Yeni mahalle merkezi – neyi beğeniyorsunuz, ne eksik?"
    ortsmitte = next(c for c in listed if c["slug"] == "ortsmitte")
    labels = {c["key"]: c["label"] for c in ortsmitte["categories"]}
    assert labels["parken-verkehr"] == "Park yeri, trafik ve bisiklet yolları"


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_consultations_are_translated_into_every_language(
    demo_client: TestClient, language: str
) -> None:
    data = demo_data()
    listed = demo_client.get("/api/consultations", headers={"Accept-Language": language}).json()
    assert {c["slug"] for c in listed} == set(data)
    for shown in listed:
        source = data[shown["slug"]]
        for field in ("title", "description", "question"):
            assert shown[field] == source[field][language], (shown["slug"], field)
            if language != "de":
                assert shown[field] != source[field]["de"], (shown["slug"], field)
        labels = {c["key"]: c["label"] for c in source["categories"]}
        for category in shown["categories"]:
            assert category["label"] == labels[category["key"]][language]
