"""Residents react to pins in Chromium: support, reply, photo, report, Meine Beiträge."""

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from geoapp.domain import ContributionQuery, Status, TargetKind
from tests.browser.conftest import LiveApp
from tests.browser.pages import fill_form, open_map, place_pin, popup, send


def pin_of(live_app: LiveApp, slug: str, text_start: str):
    consultation = live_app.store.get_consultation(slug)
    every = ContributionQuery(consultation_id=consultation.id, statuses=list(Status))
    return next(
        c for c in live_app.store.list_contributions(every) if c.text.startswith(text_start)
    )


def open_pin_from_list(page: Page, text_start: str) -> None:
    page.locator("#contribution-list button", has_text=text_start).click()
    expect(popup(page)).to_contain_text(text_start)


def test_support_and_take_it_back(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    before = pin_of(live_app, "ortsmitte", "Ein kleines Café").support_count
    open_pin_from_list(page, "Ein kleines Café")
    button = popup(page).get_by_role("button", name=f"Unterstützen ({before})")
    # Nothing missing shows up as a stray word (a pin without photo once read "null").
    expect(popup(page).locator(".pin-detail")).not_to_contain_text("null")
    button.click()
    supported = popup(page).get_by_role("button", name=f"Unterstützt ({before + 1}) – zurücknehmen")
    expect(supported).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#announcer")).to_have_text("Danke, Ihre Unterstützung ist gezählt.")
    assert pin_of(live_app, "ortsmitte", "Ein kleines Café").support_count == before + 1
    expect(page.locator("#contribution-list li", has_text="Ein kleines Café")).to_contain_text(
        f"{before + 1} Unterstützungen"
    )
    supported.click()
    expect(popup(page).get_by_role("button", name=f"Unterstützen ({before})")).to_be_visible()
    assert pin_of(live_app, "ortsmitte", "Ein kleines Café").support_count == before
    # Reopening the pin remembers that this browser no longer supports it.
    page.keyboard.press("Escape")
    open_pin_from_list(page, "Ein kleines Café")
    expect(popup(page).get_by_role("button", name=f"Unterstützen ({before})")).to_be_visible()


def test_reply_shows_at_once_under_post_moderation(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    open_pin_from_list(page, "Ein kleines Café")
    popup(page).get_by_role("button", name="Antwort schreiben").click()
    expect(popup(page).get_by_label("Ihre Antwort")).to_be_focused()
    popup(page).get_by_label("Ihre Antwort").fill("Ja, mit Kuchen vom Bäcker nebenan!")
    popup(page).get_by_label("Ihr Name").fill("Jonas")
    popup(page).get_by_role("button", name="Antwort senden").click()
    expect(popup(page)).to_contain_text("Ihre Antwort ist jetzt zu sehen.")
    expect(popup(page).locator(".reply")).to_contain_text("Ja, mit Kuchen vom Bäcker nebenan!")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    open_pin_from_list(page, "Ein kleines Café")
    expect(popup(page)).to_contain_text("Antworten (1)")
    expect(popup(page).locator(".reply")).to_contain_text("Jonas")


def test_reply_waits_for_review_under_pre_moderation(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url, "park-bergstrasse")
    open_pin_from_list(page, "Eine Seilbahn")
    popup(page).get_by_role("button", name="Antwort schreiben").click()
    popup(page).get_by_label("Ihre Antwort").fill("Und eine Tischtennisplatte.")
    popup(page).get_by_role("button", name="Antwort senden").click()
    expect(popup(page)).to_contain_text("Ihre Antwort wird geprüft")
    pin = pin_of(live_app, "park-bergstrasse", "Eine Seilbahn")
    [reply] = live_app.store.list_replies(pin.id, [Status.PENDING])
    assert reply.text == "Und eine Tischtennisplatte."
    assert live_app.store.list_replies(pin.id, [Status.PUBLISHED]) == []


def test_new_pin_with_a_photo_shows_its_thumbnail(
    page: Page, live_app: LiveApp, tmp_path: Path
) -> None:
    picture = tmp_path / "bank.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 120, 60)).save(buffer, "JPEG")
    picture.write_bytes(buffer.getvalue())
    open_map(page, live_app.url)
    place_pin(page)
    fill_form(page, "Diese Bank ist kaputt.")
    page.get_by_label("Foto (freiwillig)").set_input_files(str(picture))
    expect(page.locator("#photo-status")).to_contain_text("Foto hochgeladen")
    page.get_by_label("Was ist auf dem Foto zu sehen?").fill("Eine Holzbank mit gebrochener Lehne")
    send(page)
    image = popup(page).get_by_role("img", name="Eine Holzbank mit gebrochener Lehne")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 400
    link = popup(page).get_by_role("link", name="Eine Holzbank mit gebrochener Lehne")
    large = page.request.get(live_app.url + link.get_attribute("href"))
    assert large.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(large.body())).size == (1200, 800)


def test_report_a_pin(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    open_pin_from_list(page, "Bitte mehr Mülleimer")
    popup(page).get_by_role("button", name="Beitrag melden").click()
    popup(page).get_by_label("Warum melden Sie das?").select_option("spam")
    popup(page).get_by_label("Anmerkung (freiwillig)").fill("Steht doppelt drin.")
    popup(page).get_by_role("button", name="Meldung senden").click()
    expect(popup(page)).to_contain_text("Danke für Ihre Meldung.")
    pin = pin_of(live_app, "ortsmitte", "Bitte mehr Mülleimer")
    [report] = live_app.store.list_reports(TargetKind.CONTRIBUTION, pin.id)
    assert report.reason == "spam"
    assert report.note == "Steht doppelt drin."


def test_my_contributions_show_their_status(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url, "park-bergstrasse")
    place_pin(page, dx=-60, dy=60)
    fill_form(page, "Ein Wasserspender am Bolzplatz.", "gruen-spiel-bewegung")
    send(page)
    expect(page.locator("#thanks")).to_be_visible()
    page.get_by_role("button", name="Meine Beiträge").click()
    mine = page.locator("#mine-list")
    expect(mine).to_contain_text("Ein Wasserspender am Bolzplatz.")
    expect(mine).to_contain_text("wird geprüft")
