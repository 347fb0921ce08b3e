"""Themes at a glance: planners see the themes generated pins were written about."""

import json
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from geoapp.domain import Consultation, Contribution, PlannerRole, Status
from geoapp.store import Store
from tests.factories import INSIDE, make_consultation, make_contribution, sign_in_as
from tests.themes_corpus import plant_themes, theme_texts

URL = "/api/planner/consultations/test/themes"
# West half and east half of the test perimeter (7.7078–7.7178 E).
WEST = {
    "type": "Polygon",
    "coordinates": [
        [
            [7.7078, 51.5748],
            [7.7127, 51.5748],
            [7.7127, 51.5808],
            [7.7078, 51.5808],
            [7.7078, 51.5748],
        ]
    ],
}


@pytest.fixture
def themed(app_client: TestClient, app_store: Store) -> dict[str, str]:
    """60 published pins, 20 per known theme; pin id → theme."""
    consultation = make_consultation(app_store)
    theme_of = plant_themes(app_store, consultation)
    make_contribution(app_store, consultation, text="Bänke Bänke Bänke", status=Status.PENDING)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    return theme_of


def test_groups_recover_the_three_themes_with_counts_of_their_pins(
    app_client: TestClient, themed: dict[str, str]
) -> None:
    response = app_client.get(URL)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["matched"], body["analysed"], body["capped"], body["message"]) == (
        60,
        60,
        False,
        None,
    )
    [german] = body["languages"]
    assert german["language"] == "de" and german["pins"] == 60 and german["stemmed"]
    groups = german["groups"]
    assert len(groups) == 3
    seen: set[str] = set()
    for group in groups:
        ids = [p["id"] for p in group["pins"]]
        themes = Counter(themed[i] for i in ids)
        # Each group is one theme, whole: its count is the pins it stands for.
        assert len(themes) == 1, themes
        assert group["count"] == len(ids) == 20
        assert themed[group["representative"]["id"]] in themes
        seen |= set(themes)
    assert seen == {"sitzen", "licht", "radweg"}
    assert sum(g["count"] for g in groups) + german["ungrouped"] == german["pins"]
    # Every pin is in exactly one group, at its place.
    all_ids = [p["id"] for g in groups for p in g["pins"]]
    assert sorted(all_ids) == sorted(themed)


def test_top_terms_are_readable_words_counted_per_pin(
    app_client: TestClient, themed: dict[str, str], app_store: Store
) -> None:
    body = app_client.get(URL).json()
    terms = {t["text"]: t["count"] for t in body["languages"][0]["terms"]}
    # "Bank", "Bänke", "Sitzbänke" are not one stem; "Bänke" and "Bank" are.
    texts = [app_store.get_contribution(i).text for i in themed]
    bank = sum(1 for t in texts if any(w in t.split() for w in ("Bank", "Bänke")))
    assert terms["Bänke"] == bank
    assert terms["Radweg"] == sum(1 for t in texts if "Radweg " in t)
    # Stop words and fillers of wishes are not themes.
    assert not {"der", "die", "im", "wäre", "bitte"} & {w.lower() for w in terms}


def test_a_topic_narrows_the_themes_to_its_pins(
    app_client: TestClient, themed: dict[str, str]
) -> None:
    body = app_client.get(URL, params={"category": "parken-verkehr"}).json()
    assert body["category"] == "parken-verkehr" and body["matched"] == 20
    ids = {p["id"] for g in body["languages"][0]["groups"] for p in g["pins"]}
    assert {themed[i] for i in ids} == {"radweg"}


def test_a_drawn_area_narrows_the_themes_to_the_pins_inside(
    app_client: TestClient, themed: dict[str, str]
) -> None:
    response = app_client.get(URL, params={"area": json.dumps(WEST)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["area"] is True and body["matched"] == 20
    terms = [t["text"] for t in body["languages"][0]["terms"]]
    assert "Bänke" in terms and "Radweg" not in terms


def test_more_pins_than_the_cap_are_said_to_be_capped(
    settings, themed: dict[str, str], app_store: Store
) -> None:
    from geoapp.app import create_app

    capped = settings.model_copy(update={"themes_max_texts": 12})
    with TestClient(create_app(capped)) as client:
        sign_in_as(client, client.app.state.store, PlannerRole.MODERATOR, username="zweite")
        body = client.get(URL).json()
    assert (body["matched"], body["analysed"], body["capped"], body["max_texts"]) == (
        60,
        12,
        True,
        12,
    )


def test_long_texts_are_capped_by_their_words(
    settings, themed: dict[str, str], app_store: Store
) -> None:
    from geoapp.app import create_app

    # The newest pins hold 8–14 words each: 40 words are three or four of them.
    capped = settings.model_copy(update={"themes_max_words": 40})
    with TestClient(create_app(capped)) as client:
        sign_in_as(client, client.app.state.store, PlannerRole.MODERATOR, username="dritte")
        body = client.get(URL).json()
    assert body["matched"] == 60 and body["capped"] is True and body["max_words"] == 40
    assert 2 <= body["analysed"] <= 5
    assert body["languages"][0]["pins"] == body["analysed"]


def test_three_pins_show_terms_and_say_they_are_too_few_to_group(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    for text in ("Eine Bank am Teich.", "Mehr Licht am Weg!", "Eine Bank am Spielplatz."):
        make_contribution(app_store, consultation, text=text)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    body = app_client.get(URL).json()
    assert body["message"] == "too_few_to_group"
    [german] = body["languages"]
    assert german["groups"] == [] and german["ungrouped"] == 3
    assert {"text": "Bank", "count": 2} in german["terms"]


def test_no_pins_say_so(app_client: TestClient, app_store: Store) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    body = app_client.get(URL).json()
    assert (body["message"], body["matched"], body["languages"]) == ("no_pins", 0, [])


def test_other_languages_are_analysed_on_their_own_german_first(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    for _, text in theme_texts(8):
        make_contribution(app_store, consultation, text=text)
    turkish = [
        "Parkta daha fazla bank olsun",
        "Gölgede bir bank istiyoruz",
        "Bankların yanında ağaç olsun",
        "Oyun parkında bank eksik",
        "Geceleri sokak lambaları yanmıyor",
        "Yolda lambalar çok karanlık",
        "Lambalar bozuk, gece karanlık",
    ]
    for text in turkish:
        add_in_language(app_store, consultation, text, "tr")
    add_in_language(app_store, consultation, "Більше лавок у парку", "uk")
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    body = app_client.get(URL).json()
    languages = {lang["language"]: lang for lang in body["languages"]}
    assert [lang["language"] for lang in body["languages"]] == ["de", "tr", "uk"]
    assert languages["tr"]["pins"] == 7 and languages["tr"]["stemmed"] is True
    # Snowball has no Ukrainian stemmer: its words are compared as written.
    assert languages["uk"]["stemmed"] is False and languages["uk"]["ungrouped"] == 1
    tr_terms = {t["text"]: t["count"] for t in languages["tr"]["terms"]}
    assert tr_terms["bank"] == 4  # the Turkish stemmer knows "Bankların" is "bank" too
    tr_groups = languages["tr"]["groups"]
    assert sum(g["count"] for g in tr_groups) + languages["tr"]["ungrouped"] == 7
    # No Turkish text in a German group, or the other way round.
    german_ids = {p["id"] for g in languages["de"]["groups"] for p in g["pins"]}
    turkish_ids = {p["id"] for g in tr_groups for p in g["pins"]}
    assert german_ids and turkish_ids and not german_ids & turkish_ids


def add_in_language(store: Store, consultation: Consultation, text: str, language: str) -> None:
    """A pin sent with the form in `language` (the language the store keeps with it)."""
    now = datetime.now(UTC)
    store.add_contribution(
        Contribution(
            id=str(uuid.uuid4()),
            consultation_id=consultation.id,
            geometry={"type": "Point", "coordinates": INSIDE},
            category="sitzen-aufenthalt",
            text=text,
            status=Status.PUBLISHED,
            created_at=now,
            updated_at=now,
            language=language,
        )
    )


@pytest.mark.parametrize(
    "params",
    [
        {"area": "kein json"},
        {"area": "[" * 5000},
        {"area": json.dumps({"type": "Point", "coordinates": [7.71, 51.57]})},
        {
            "area": json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[7.70, 51.57], [7.72, 51.59], [7.72, 51.57], [7.70, 51.59], [7.70, 51.57]]
                    ],
                }
            )
        },
    ],
)
def test_a_bad_area_is_a_problem_saying_what_to_draw(
    app_client: TestClient, app_store: Store, params: dict[str, str]
) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.get(URL, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "GeoJSON" in response.json()["detail"]


def test_an_unknown_topic_is_a_problem_naming_it(app_client: TestClient, app_store: Store) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.get(URL, params={"category": "gibts-nicht"})
    assert response.status_code == 422
    assert "gibts-nicht" in response.json()["detail"]


def test_themes_need_a_signed_in_planner(app_client: TestClient, app_store: Store) -> None:
    make_consultation(app_store)
    response = app_client.get(URL)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_while_another_computation_runs_the_next_waits_then_gets_503(settings) -> None:
    from geoapp.app import create_app

    quick = settings.model_copy(update={"themes_at_once": 1, "themes_wait_seconds": 0})
    with TestClient(create_app(quick)) as client:
        store = client.app.state.store
        make_consultation(store)
        sign_in_as(client, store, PlannerRole.MODERATOR)
        # The one slot is taken, as by a planner whose computation is still running.
        with client.app.state.gates.themes.slot():
            busy = client.get(URL)
        assert busy.status_code == 503
        assert busy.headers["content-type"].startswith("application/problem+json")
        assert busy.headers["retry-after"] == "1"
        assert client.get(URL).status_code == 200
