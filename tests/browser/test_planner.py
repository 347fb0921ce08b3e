"""The planner workspace in Chromium: sign-in, moderation, perimeter, import, keyboard, axe."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import shapely
from playwright.sync_api import Page, expect

from geoapp.domain import Contribution, ContributionQuery, PlannerRole, Status
from geoapp.services import planners
from tests.browser.conftest import LiveApp, PageProblems, on_every_backend
from tests.browser.pages import fill_form, open_map, place_pin, send, tab_to
from tests.browser.planner_pages import (
    choose_consultation,
    open_view,
    queue_item,
    sign_in,
)
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.factories import make_contribution, make_reply


def pending_pin(live_app: LiveApp, text: str, **fields):
    """A pin awaiting review in the pre-moderated demo consultation."""
    consultation = live_app.store.get_consultation("park-bergstrasse")
    return make_contribution(
        live_app.store,
        consultation,
        [7.7035, 51.5805],
        Status.PENDING,
        "gruen-spiel-bewegung",
        text,
        **fields,
    )


def stored(live_app: LiveApp, slug: str, text: str):
    consultation = live_app.store.get_consultation(slug)
    pins = live_app.store.list_contributions(ContributionQuery(consultation_id=consultation.id))
    return [pin for pin in pins if pin.text == text]


@on_every_backend
def test_sign_in_names_a_wrong_password_then_lets_the_planner_in(
    page: Page, live_app: LiveApp, problems: PageProblems
) -> None:
    problems.allow("401")
    sign_in(page, live_app, password="falsch-geraten")
    error = page.locator("#signin-error")
    expect(error).to_contain_text("Benutzername oder Passwort stimmen nicht")
    expect(page.locator("#workspace")).to_be_hidden()
    page.get_by_label("Passwort").fill("ein-langes-geheimes-passwort")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#account-name")).to_have_text("Angemeldet als anna")
    expect(page.get_by_role("heading", name="Moderation")).to_be_visible()
    page.reload()
    expect(page.locator("#account-name")).to_have_text("Angemeldet als anna")
    page.get_by_role("button", name="Abmelden", exact=True).click()
    expect(page.get_by_label("Benutzername")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Sie sind abgemeldet.")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#workspace")).to_be_hidden()
    assert page.request.get(f"{live_app.url}/api/planner/session").status == 401


@on_every_backend
def test_publishing_a_pending_pin_puts_it_on_the_public_map(page: Page, live_app: LiveApp) -> None:
    text = "Eine Trinkwasserstelle am Spielplatz, bitte."
    pin = pending_pin(live_app, text)
    sign_in(page, live_app)
    choose_consultation(page, "park-bergstrasse")
    item = queue_item(page, text)
    item.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator("#announcer")).to_contain_text("Veröffentlicht")
    expect(page.locator("#queue-list")).not_to_contain_text(text)
    assert live_app.store.get_contribution(pin.id).status == Status.PUBLISHED
    open_map(page, live_app.url, "park-bergstrasse")
    expect(page.locator("#contribution-list")).to_contain_text(text)


def test_rejection_with_a_public_response_reaches_its_author(page: Page, live_app: LiveApp) -> None:
    text = "Ein Wasserspender am Bolzplatz."
    open_map(page, live_app.url, "park-bergstrasse")
    place_pin(page, dx=-60, dy=60)
    fill_form(page, text, "gruen-spiel-bewegung")
    send(page)
    expect(page.locator("#thanks")).to_be_visible()

    sign_in(page, live_app)
    choose_consultation(page, "park-bergstrasse")
    reject = queue_item(page, text).get_by_role("button", name="Ablehnen")
    reject.click()
    dialog = page.get_by_role("dialog", name="Beitrag ablehnen")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Grund")).to_be_focused()
    dialog.get_by_label("Grund").select_option("outside_remit")
    answer = "Danke! Wasserspender plant der Kreis; wir geben Ihren Hinweis weiter."
    dialog.get_by_label("Öffentliche Antwort").fill(answer)
    dialog.get_by_role("button", name="Ablehnen").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#announcer")).to_contain_text("Abgelehnt")

    open_map(page, live_app.url, "park-bergstrasse")
    page.get_by_role("button", name="Meine Beiträge").click()
    mine = page.locator("#mine-list")
    expect(mine).to_contain_text(text)
    expect(mine).to_contain_text("nicht veröffentlicht – Nicht Aufgabe dieser Planung")
    expect(mine).to_contain_text(answer)


def test_rejecting_works_by_keyboard_alone_and_escape_returns_the_focus(
    page: Page, live_app: LiveApp
) -> None:
    text = "Mehr Licht am Fußweg."
    pin = pending_pin(live_app, text)
    sign_in(page, live_app)
    choose_consultation(page, "park-bergstrasse")
    reject = queue_item(page, text).get_by_role("button", name="Ablehnen")
    reject.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Beitrag ablehnen")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Grund")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(reject).to_be_focused()
    assert live_app.store.get_contribution(pin.id).status == Status.PENDING

    page.keyboard.press("Enter")
    page.keyboard.press("End")  # the last reason in the list: Sonstiges
    tab_to(page, "#decision-response")
    page.keyboard.type("Danke, die Leuchten sind schon bestellt.")
    tab_to(page, "#decision-confirm")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator("#announcer")).to_contain_text("Abgelehnt")
    decided = live_app.store.get_contribution(pin.id)
    assert (decided.status, decided.status_reason) == (Status.REJECTED, "other")
    assert decided.planner_response == "Danke, die Leuchten sind schon bestellt."
    expect(page.locator("#view-queue")).to_be_focused()


def test_drawn_perimeter_is_saved_as_a_valid_polygon(page: Page, live_app: LiveApp) -> None:
    sign_in(page, live_app)
    choose_consultation(page, "ideen-heeren-werve")
    open_view(page, "Beteiligung bearbeiten")
    expect(page.locator("#perimeter-hint, .perimeter .hint").first).to_contain_text("Maus")
    page.get_by_role("button", name="Gebiet neu zeichnen").click()
    box = page.locator("#perimeter-map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(-120, -80), (120, -80), (120, 80), (-120, 80)]
    for dx, dy in corners:
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(150)
    page.mouse.click(cx + corners[0][0], cy + corners[0][1])
    save = page.get_by_role("button", name="Gezeichnetes Gebiet speichern")
    expect(save).to_be_enabled()
    save.click()
    expect(page.locator("#perimeter-message")).to_contain_text("Das Gebiet ist gespeichert")
    perimeter = shapely.geometry.shape(
        live_app.store.get_consultation("ideen-heeren-werve").perimeter
    )
    assert perimeter.geom_type == "Polygon"
    assert perimeter.is_valid
    assert len(perimeter.exterior.coords) == 5


CSV = (
    "lon,lat,category,text\n"
    "7.7120,51.5780,sitzen-aufenthalt,Eine Bank am Marktplatz (Workshop)\n"
    "7.7125,51.5776,parken-verkehr,Fahrradständer vor der Bäckerei (Workshop)\n"
    "7.7130,51.5779,gibt-es-nicht,Dieses Thema gibt es nicht\n"
)


def test_csv_import_previews_the_bad_row_then_creates_the_good_ones(
    page: Page, live_app: LiveApp
) -> None:
    sign_in(page, live_app)
    choose_consultation(page, "ortsmitte")
    open_view(page, "Eintragen und Import")
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": "workshop.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.get_by_label("Herkunft").last.select_option("workshop")
    page.get_by_role("button", name="Vorschau").click()
    preview = page.locator("#import-preview")
    expect(preview).to_be_focused()
    expect(page.locator("#preview-summary")).to_have_text(
        "Neue Beiträge: 2 · Zeilen, die nicht angelegt werden: 1"
    )
    expect(page.locator("#preview-create")).to_contain_text("Eine Bank am Marktplatz")
    refused = page.locator("#preview-refused tr")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("4")
    expect(refused).to_contain_text("gibt-es-nicht")
    assert stored(live_app, "ortsmitte", "Eine Bank am Marktplatz (Workshop)") == []
    page.get_by_role("button", name="Import ausführen").click()
    result = page.locator("#import-result")
    expect(result).to_contain_text("Neue Beiträge: 2 · ausgelassene Zeilen: 1")
    [bench] = stored(live_app, "ortsmitte", "Eine Bank am Marktplatz (Workshop)")
    assert bench.status == Status.PUBLISHED
    assert str(bench.source) == "workshop"
    assert stored(live_app, "ortsmitte", "Dieses Thema gibt es nicht") == []


def test_sign_in_and_moderation_queue_pass_axe_in_german_and_arabic(
    page: Page, live_app: LiveApp
) -> None:
    pending_pin(live_app, "Eine Rampe am Eingang.", contact_email="anwohnerin@example.org")
    page.goto(f"{live_app.url}/planner/")
    page.wait_for_selector("body[data-ready=true]")
    assert_no_axe_violations(page)
    page.locator("#language-select").select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_no_axe_violations(page)
    page.locator("#language-select").select_option("de")
    sign_in(page, live_app)
    choose_consultation(page, "park-bergstrasse")
    expect(page.locator("#queue-list")).to_contain_text("Eine Rampe am Eingang.")
    assert_no_axe_violations(page)
    page.locator("#language-select").select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#queue-list")).to_contain_text("Eine Rampe am Eingang.")
    assert_no_axe_violations(page)


def test_new_consultation_is_created_edited_and_opened(page: Page, live_app: LiveApp) -> None:
    sign_in(page, live_app)
    open_view(page, "Beteiligung bearbeiten")
    page.get_by_role("button", name="Neue Beteiligung anlegen").click()
    form = page.locator("#consultation-form")
    expect(form.get_by_label("Kurzbezeichnung")).to_be_focused()
    form.get_by_label("Kurzbezeichnung").fill("marktplatz-2027")
    form.get_by_label("Titel (Deutsch)").fill("Marktplatz 2027")
    form.get_by_label("Frage auf dem Formular (Deutsch)").fill("Was braucht der Marktplatz?")
    form.get_by_label("Moderation").select_option("post")
    form.get_by_label("Schlüssel").fill("baeume")
    form.get_by_label("Name (Deutsch)").fill("Bäume")
    form.get_by_role("button", name="Thema hinzufügen").click()
    second = page.locator(".category-row").nth(1)
    expect(second.get_by_label("Schlüssel")).to_be_focused()
    second.get_by_label("Schlüssel").fill("baenke")
    second.get_by_label("Name (Deutsch)").fill("Bänke")
    form.get_by_role("button", name="Speichern").click()
    expect(page.locator("#announcer")).to_have_text("Gespeichert.")
    made = live_app.store.get_consultation("marktplatz-2027")
    assert made is not None
    assert [c.key for c in made.categories] == ["baeume", "baenke"]
    assert str(made.status) == "draft"
    assert shapely.geometry.shape(made.perimeter).is_valid

    expect(page.locator("#consultation-select")).to_have_value("marktplatz-2027")
    form.get_by_label("Titel (Englisch, freiwillig)").fill("Market square 2027")
    # The page already says what it edits, so wait for the save itself before opening.
    with page.expect_response(lambda r: r.request.method == "PATCH" and r.ok):
        form.get_by_role("button", name="Speichern").click()
    expect(page.locator("#consultation-mode")).to_have_text("Sie bearbeiten „marktplatz-2027“.")
    page.get_by_role("button", name="Öffnen", exact=True).click()
    expect(page.locator("#lifecycle-status")).to_have_text("Status: Offen")
    changed = live_app.store.get_consultation("marktplatz-2027")
    assert changed.title == {"de": "Marktplatz 2027", "en": "Market square 2027"}
    assert str(changed.status) == "open"


def test_perimeter_upload_is_the_keyboard_way_and_refusals_are_shown(
    page: Page, live_app: LiveApp, problems: PageProblems
) -> None:
    problems.allow("422")
    sign_in(page, live_app)
    choose_consultation(page, "ideen-heeren-werve")
    open_view(page, "Beteiligung bearbeiten")
    upload = page.get_by_label("Gebiet als Datei")
    upload.set_input_files(
        {"name": "gebiet.geojson", "mimeType": "application/geo+json", "buffer": b"{kaputt"}
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.locator("#perimeter-message")).to_contain_text("GeoJSON")
    square = (
        '{"type": "Polygon", "coordinates": [[[7.70, 51.57], [7.72, 51.57], [7.72, 51.59],'
        " [7.70, 51.59], [7.70, 51.57]]]}"
    )
    upload.set_input_files(
        {"name": "gebiet.geojson", "mimeType": "application/geo+json", "buffer": square.encode()}
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.locator("#perimeter-message")).to_have_text("Das Gebiet ist gespeichert.")
    perimeter = live_app.store.get_consultation("ideen-heeren-werve").perimeter
    assert shapely.geometry.shape(perimeter).bounds == (7.70, 51.57, 7.72, 51.59)


def test_office_entry_is_published_and_statistics_show_it(page: Page, live_app: LiveApp) -> None:
    sign_in(page, live_app)
    choose_consultation(page, "ortsmitte")
    open_view(page, "Eintragen und Import")
    form = page.locator("#entry-form")
    form.get_by_label("Breitengrad").fill("51,5778")
    form.get_by_label("Längengrad").fill("7.7128")
    form.get_by_label("Herkunft").select_option("paper")
    form.get_by_label("Text des Beitrags").fill("Von einer Papierkarte: mehr Mülleimer.")
    form.get_by_role("button", name="Eintragen").click()
    expect(page.locator("#announcer")).to_have_text("Eingetragen und veröffentlicht.")
    [pin] = stored(live_app, "ortsmitte", "Von einer Papierkarte: mehr Mülleimer.")
    assert str(pin.source) == "paper"
    assert pin.geometry == {"type": "Point", "coordinates": [7.7128, 51.5778]}

    open_view(page, "Auswertung")
    by_source = page.locator("table", has=page.locator("caption", has_text="Nach Herkunft"))
    expect(by_source.locator("tr", has_text="Papierkarte")).to_contain_text("1")
    chart = page.get_by_role("img", name="Beiträge pro Woche")
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() >= 1
    expect(page.locator("#chart table")).to_contain_text("Bis dahin insgesamt")
    expect(page.get_by_role("link", name="Berichtskarte herunterladen")).to_have_attribute(
        "href", "/api/planner/consultations/ortsmitte/report.html"
    )


@pytest.mark.viewport(320, 640)
def test_workspace_reflows_at_320_pixels(page: Page, live_app: LiveApp) -> None:
    sign_in(page, live_app)
    for view in ["Moderation", "Beteiligung bearbeiten", "Eintragen und Import", "Export"]:
        open_view(page, view)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, view


def test_edit_keeps_the_original_in_the_audit_trail_and_erasure_removes_the_email(
    page: Page, live_app: LiveApp
) -> None:
    pin = pending_pin(live_app, "Bank am Spielplatz", contact_email="anwohner@example.org")
    sign_in(page, live_app)
    choose_consultation(page, "park-bergstrasse")
    item = queue_item(page, "Bank am Spielplatz")
    expect(item).to_contain_text("anwohner@example.org")
    item.get_by_role("button", name="Bearbeiten").click()
    dialog = page.get_by_role("dialog", name="Beitrag bearbeiten")
    dialog.get_by_label("Text des Beitrags").fill("Eine Bank am Spielplatz")
    dialog.get_by_role("button", name="Speichern").click()
    expect(page.locator("#announcer")).to_have_text("Gespeichert.")
    assert live_app.store.get_contribution(pin.id).text == "Eine Bank am Spielplatz"

    history = queue_item(page, "Eine Bank am Spielplatz").get_by_role("button", name="Verlauf")
    history.click()
    trail = page.get_by_role("dialog", name="Verlauf")
    expect(trail).to_contain_text("Bearbeitet durch anna")
    expect(trail).to_contain_text("Text: Bank am Spielplatz → Eine Bank am Spielplatz")
    trail.get_by_role("button", name="Schließen").click()
    expect(history).to_be_focused()

    queue_item(page, "Eine Bank am Spielplatz").get_by_role(
        "button", name="Persönliche Daten löschen"
    ).click()
    erase = page.get_by_role("dialog", name="Persönliche Daten löschen?")
    # The safe choice has the focus, so Enter alone erases nothing.
    expect(erase.get_by_role("button", name="Abbrechen")).to_be_focused()
    erase.get_by_role("button", name="Endgültig löschen").click()
    expect(page.locator("#announcer")).to_have_text("Die persönlichen Daten sind gelöscht.")
    expect(queue_item(page, "Eine Bank am Spielplatz")).not_to_contain_text("anwohner@")
    assert live_app.store.get_contribution(pin.id).contact_email is None


def test_moderator_sees_moderation_and_entries_but_not_consultation_settings(
    page: Page, live_app: LiveApp
) -> None:
    text = "Ein Mülleimer an der Haltestelle."
    pin = pending_pin(live_app, text, contact_email="anwohnerin@example.org")
    sign_in(page, live_app, username="ben", role=PlannerRole.MODERATOR)
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("button", name="Beteiligung bearbeiten")).to_be_hidden()
    choose_consultation(page, "park-bergstrasse")
    item = queue_item(page, text)
    expect(item.get_by_role("button", name="Persönliche Daten löschen")).to_have_count(0)
    item.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator("#announcer")).to_contain_text("Veröffentlicht")
    assert live_app.store.get_contribution(pin.id).status == Status.PUBLISHED
    open_view(page, "Eintragen und Import")
    expect(page.locator("#entry-form")).to_be_visible()
    expect(page.locator("#import-form")).to_be_hidden()


def test_pending_reply_is_rejected_without_a_public_answer(page: Page, live_app: LiveApp) -> None:
    pin = pending_pin(live_app, "Ein Brunnen im Park.")
    reply = make_reply(live_app.store, pin, Status.PENDING, "Bitte auch mit Trinkwasser!")
    sign_in(page, live_app)
    choose_consultation(page, "park-bergstrasse")
    item = page.locator("#reply-list > li", has_text="Bitte auch mit Trinkwasser!")
    item.get_by_role("button", name="Ablehnen").click()
    dialog = page.get_by_role("dialog", name="Antwort ablehnen")
    expect(dialog.get_by_label("Öffentliche Antwort")).to_be_hidden()
    dialog.get_by_label("Grund").select_option("duplicate")
    dialog.get_by_role("button", name="Ablehnen").click()
    expect(page.locator("#reply-list")).not_to_contain_text("Bitte auch mit Trinkwasser!")
    stored_reply = live_app.store.get_reply(reply.id)
    assert stored_reply.status == Status.REJECTED
    assert stored_reply.status_reason == "duplicate"


def test_ended_session_leads_back_to_sign_in_with_the_reason(
    page: Page, live_app: LiveApp, problems: PageProblems
) -> None:
    problems.allow("401")
    pending_pin(live_app, "Ein Zebrastreifen vor der Schule.")
    sign_in(page, live_app)
    choose_consultation(page, "park-bergstrasse")
    planners.change_password(live_app.store, "anna", "ein-ganz-neues-passwort")
    item = queue_item(page, "Ein Zebrastreifen vor der Schule.")
    item.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator("#signin-error")).to_contain_text("Bitte melden Sie sich neu an")
    expect(page.get_by_label("Benutzername")).to_be_focused()
    expect(page.locator("#workspace")).to_be_hidden()


def test_planner_pages_through_the_queue_and_searches_it(page: Page, live_app: LiveApp) -> None:
    consultation = live_app.store.get_consultation("park-bergstrasse")
    start = datetime(2026, 5, 1, tzinfo=UTC)
    pins = [
        Contribution(
            id=str(uuid.uuid4()),
            consultation_id=consultation.id,
            geometry={"type": "Point", "coordinates": [7.7035, 51.5805]},
            category="gruen-spiel-bewegung",
            text=f"Vorschlag Nummer {n}.",
            status=Status.PENDING,
            created_at=start + timedelta(minutes=n),
            updated_at=start,
        )
        for n in range(119)
    ]
    benches = replace(pins[3], id=str(uuid.uuid4()), text="Mehr Bänke am Teich.")
    live_app.store.add_contributions([*pins, benches], [])
    sign_in(page, live_app)
    choose_consultation(page, "park-bergstrasse")
    count = page.locator("#queue-count")
    expect(count).to_have_text("50 von 120 Beiträgen angezeigt")
    more = page.get_by_role("button", name="Weitere laden")
    more.click()
    expect(count).to_have_text("100 von 120 Beiträgen angezeigt")
    # The focus goes to the first pin of the new page, so the keyboard goes on from there.
    expect(page.locator("#queue-list > li").nth(50).get_by_role("button").first).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("100 von 120 Beiträgen angezeigt")
    more.click()
    expect(count).to_have_text("120 von 120 Beiträgen angezeigt")
    expect(more).to_be_hidden()
    shown = page.locator("#queue-list > li").evaluate_all("items => items.map(i => i.dataset.id)")
    assert sorted(shown) == sorted(p.id for p in [*pins, benches])
    page.get_by_label("Im Text suchen").fill("banke")
    page.get_by_label("Im Text suchen").press("Enter")
    expect(count).to_have_text("1 von 1 Beiträgen angezeigt")
    expect(queue_item(page, "Mehr Bänke am Teich.")).to_be_visible()
    page.get_by_role("search").get_by_label("Herkunft").select_option("office")
    expect(count).to_have_text("0 von 0 Beiträgen angezeigt")
