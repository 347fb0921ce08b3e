"""Taking part without the map: choosing a place from the list, contributions "ohne Ort"."""

from geoapp.domain import ContributionQuery
from tests.api.test_contributions import assert_problem, body, post
from tests.factories import PERIMETER, make_consultation


def test_place_list_marks_what_lies_outside_the_area(app_client, app_store) -> None:
    make_consultation(app_store)
    choices = {c["id"]: c for c in app_client.get("/api/consultations/test/places").json()}
    # The Ortsmitte lies in the test square around the village core; Haus Heeren lies north of it.
    assert choices["ortsmitte"]["inside"] is True
    assert choices["ortsmitte"]["fallback"] is False
    assert choices["haus-heeren"]["inside"] is False
    assert choices["haus-heeren"]["geometry"]["coordinates"] == [7.711242, 51.583947]


def test_street_without_coordinate_falls_back_to_the_area_centre(app_client, app_store) -> None:
    make_consultation(app_store)
    choices = {c["id"]: c for c in app_client.get("/api/consultations/test/places").json()}
    street = choices["strasse-mittelstrasse"]
    assert street["kind"] == "street"
    assert street["label"] == "Mittelstraße"
    assert street["fallback"] is True
    assert street["inside"] is True
    lon, lat = street["geometry"]["coordinates"]
    [ring] = PERIMETER["coordinates"]
    assert abs(lon - sum(p[0] for p in ring[:-1]) / 4) < 1e-6
    assert abs(lat - sum(p[1] for p in ring[:-1]) / 4) < 1e-6


def test_a_chosen_place_is_accepted_as_the_pin(app_client, app_store) -> None:
    make_consultation(app_store)
    choices = {c["id"]: c for c in app_client.get("/api/consultations/test/places").json()}
    created = post(app_client, body(geometry=choices["strasse-mittelstrasse"]["geometry"]))
    assert created.status_code == 201


def test_nearest_place_describes_a_spot(app_client) -> None:
    # About 100 m north of the village core (the Ortsmitte proxy).
    near = app_client.get("/api/reference/nearest", params={"lon": 7.712778, "lat": 51.578678})
    found = near.json()
    assert found["label"] == "Ortsmitte"
    assert 90 <= found["distance_m"] <= 110
    assert min(found["bearing"], 360 - found["bearing"]) <= 10


def test_nearest_refuses_coordinates_off_the_earth(app_client) -> None:
    assert_problem(app_client.get("/api/reference/nearest?lon=500&lat=51"), 422)


def test_places_of_unknown_consultation_is_404(app_client) -> None:
    assert_problem(app_client.get("/api/consultations/nichts/places"), 404)


def test_contribution_without_a_place_is_stored_and_listed(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    payload = body(without_location=True, text="Allgemein: mehr Angebote für Jugendliche.")
    del payload["geometry"]
    created = post(app_client, payload)
    assert created.status_code == 201, created.text
    assert created.json()["geometry"] is None
    [feature] = app_client.get("/api/consultations/test/contributions").json()["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["text"] == "Allgemein: mehr Angebote für Jugendliche."
    [stored] = app_store.list_contributions(ContributionQuery(consultation_id=consultation.id))
    assert stored.geometry is None


def test_without_a_place_and_a_point_together_is_refused(app_client, app_store) -> None:
    make_consultation(app_store)
    problem = assert_problem(post(app_client, body(without_location=True)), 422, "geometry")
    assert "ohne Ort" in problem["detail"]


def test_missing_point_says_to_set_one(app_client, app_store) -> None:
    make_consultation(app_store)
    payload = body()
    del payload["geometry"]
    problem = assert_problem(post(app_client, payload), 422, "geometry")
    assert problem["detail"] == "Bitte setzen Sie einen Punkt auf die Karte."
