"""Invisible control characters are refused where text comes in; line breaks and tabs are not.

A NUL or an escape character typed (or pasted) into a pin would be stored as it is and then
break what reads it: PostgreSQL refuses NUL, XML 1.0 (KML, the GeoPackage's metadata) refuses
every C0 control but tab and line breaks.
"""

import pytest

from geoapp.domain import ContributionQuery, Status
from tests.api.test_contributions import assert_problem, body, post
from tests.factories import make_consultation, make_contribution, with_form_token


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85"])
def test_a_pin_with_a_control_character_is_refused_and_not_stored(
    app_client, app_store, control
) -> None:
    consultation = make_consultation(app_store)
    response = post(app_client, body(text=f"Bank{control} am Markt"))
    problem = assert_problem(response, 422, "text")
    assert problem["code"] == "text_control_characters"
    assert "Steuerzeichen" in problem["detail"]
    every = ContributionQuery(consultation.id, statuses=tuple(Status))
    assert app_store.list_contributions(every) == []


def test_line_breaks_and_tabs_are_kept(app_client, app_store) -> None:
    make_consultation(app_store)
    text = "Erste Zeile\nzweite Zeile\r\nmit\tTab"
    response = post(app_client, body(text=text))
    assert response.status_code == 201, response.text
    assert app_store.get_contribution(response.json()["id"]).text == text


def test_a_name_or_reply_with_a_control_character_is_refused(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    named = post(app_client, body(author_name="Erika\x00"))
    assert assert_problem(named, 422, "author_name")["code"] == "text_control_characters"
    reply = app_client.post(
        f"/api/contributions/{pin.id}/replies",
        json=with_form_token(app_client, {"text": "Stimmt\x1b"}),
        headers={"Accept-Language": "en"},
    )
    assert "control character" in assert_problem(reply, 422, "text")["detail"]
