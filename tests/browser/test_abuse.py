"""Abuse protection in Chromium: the planner's emergency brake, residents told why, and a pin
still sent with its participant token, form-start token and idempotency key."""

import uuid
from datetime import UTC, datetime

from playwright.sync_api import Page, Request, expect

from geoapp.domain import ContributionQuery, Report, ReportReason, TargetKind
from tests.browser.conftest import LiveApp
from tests.browser.pages import fill_form, open_map, place_pin, send
from tests.browser.planner_pages import choose_consultation, queue_item, sign_in
from tests.factories import make_contribution


def test_a_resident_sends_a_pin_with_token_and_idempotency_key(
    page: Page, live_app: LiveApp
) -> None:
    sent: list[Request] = []
    page.on(
        "request",
        lambda r: sent.append(r) if r.method == "POST" and "/contributions" in r.url else None,
    )
    open_map(page, live_app.url)
    place_pin(page)
    fill_form(page, "Ein Trinkbrunnen am Marktplatz.")
    # The honeypot is out of the way: hidden from screen readers and out of the tab order.
    trap = page.locator("#field-website")
    expect(trap).to_have_attribute("tabindex", "-1")
    expect(page.locator(".honeypot").first).to_have_attribute("aria-hidden", "true")
    send(page)
    expect(page.locator("#thanks")).to_be_visible()
    [request] = sent
    assert len(request.headers["idempotency-key"]) == 32
    assert request.post_data_json["form_token"]
    assert "website" not in request.post_data_json
    consultation = live_app.store.get_consultation("ortsmitte")
    pins = live_app.store.list_contributions(ContributionQuery(consultation_id=consultation.id))
    assert [p.text for p in pins].count("Ein Trinkbrunnen am Marktplatz.") == 1
    assert pins[0].participant_hash


def test_the_planner_pauses_intake_and_residents_read_the_message(
    page: Page, live_app: LiveApp
) -> None:
    sign_in(page, live_app, username="mona")
    choose_consultation(page, "ortsmitte")
    expect(page.locator("#brake-state")).to_contain_text("werden angenommen")
    page.get_by_label("Nachricht an die Bürgerinnen und Bürger").fill(
        "Wir räumen auf, morgen geht es weiter."
    )
    page.get_by_role("button", name="Annahme anhalten").click()
    expect(page.locator("#brake-state")).to_contain_text("Wir räumen auf")
    expect(page.get_by_role("button", name="Annahme fortsetzen")).to_be_visible()
    consultation = live_app.store.get_consultation("ortsmitte")
    assert consultation.paused_at is not None
    [event] = live_app.store.list_audit(TargetKind.CONSULTATION, consultation.id)
    assert (event.actor, event.action) == ("mona", "pause")

    resident = page.context.new_page()
    open_map(resident, live_app.url)
    notice = resident.locator("#pause-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Wir räumen auf, morgen geht es weiter.")
    expect(resident.get_by_role("button", name="Beitrag hinzufügen")).to_be_hidden()

    page.get_by_role("button", name="Annahme fortsetzen").click()
    expect(page.get_by_role("button", name="Annahme anhalten")).to_be_visible()
    resident.reload()
    resident.wait_for_selector("body[data-ready=true]")
    expect(resident.locator("#pause-notice")).to_be_hidden()
    place_pin(resident)
    fill_form(resident, "Nach der Pause wieder möglich.")
    send(resident)
    expect(resident.locator("#thanks")).to_be_visible()


def test_planners_see_how_many_reports_from_how_many_networks(
    page: Page, live_app: LiveApp
) -> None:
    consultation = live_app.store.get_consultation("ortsmitte")
    pin = make_contribution(live_app.store, consultation, text="Ein umstrittener Vorschlag.")
    for who, network in (("a", "x"), ("b", "x"), ("c", "y")):
        live_app.store.add_report(
            Report(
                str(uuid.uuid4()),
                TargetKind.CONTRIBUTION,
                pin.id,
                who * 64,
                ReportReason.SPAM,
                datetime.now(UTC),
                network_hash=network * 64,
            )
        )
    sign_in(page, live_app)
    choose_consultation(page, "ortsmitte")
    page.locator("#queue-filter").select_option("reported")
    page.wait_for_selector("body[data-ready=true]")
    expect(queue_item(page, "Ein umstrittener Vorschlag.")).to_contain_text(
        "Offene Meldungen: 3 (von 2 verschiedenen Internetanschlüssen)"
    )
