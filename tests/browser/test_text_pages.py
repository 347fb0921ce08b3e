"""The text pages (Leichte Sprache, accessibility, privacy) and the language switch, in Chromium."""

import json
from itertools import pairwise

import pytest
from playwright.sync_api import Page, expect

from geoapp.config import Settings
from tests.browser.conftest import LiveApp
from tests.browser.pages import open_map
from tests.browser.test_accessibility import assert_no_axe_violations

TEXT_PAGES = {
    "/leichte-sprache.html": "So machen Sie mit",
    "/barrierefreiheit.html": "Erklärung zur Barrierefreiheit",
    "/datenschutz.html": "Datenschutzhinweis",
}

# The privacy notice in every UI language: its address, the heading of its network-hash section
# and the words saying that the hash's key changes every day.
PRIVACY_NOTICES = {
    "de": ("/datenschutz.html", "Schutz vor Missbrauch: der Netz-Prüfwert", "jeden Tag wechselt"),
    "en": (
        "/datenschutz.en.html",
        "Protection against abuse: the network hash",
        "changes every day",
    ),
    "tr": (
        "/datenschutz.tr.html",
        "Kötüye kullanıma karşı koruma: ağ kontrol değeri",
        "her gün değişen",
    ),
    "ar": ("/datenschutz.ar.html", "الحماية من إساءة الاستخدام: قيمة تحقق الشبكة", "يتغير كل يوم"),
    "uk": ("/datenschutz.uk.html", "Захист від зловживань: хеш мережі", "змінюється щодня"),
    "pl": (
        "/datenschutz.pl.html",
        "Ochrona przed nadużyciami: hash sieci",
        "zmienia się codziennie",
    ),
    "ru": ("/datenschutz.ru.html", "Защита от злоупотреблений: хеш сети", "меняется каждый день"),
}
TRANSLATED_PRIVACY_NOTICES = [path for code, (path, *_) in PRIVACY_NOTICES.items() if code != "de"]


def ui_catalog(language: str) -> dict[str, str]:
    path = Settings().static_dir / "i18n" / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def footer_link(page: Page, name: str):
    return page.get_by_role("contentinfo").get_by_role("link", name=name, exact=True)


def test_every_page_reaches_the_others_through_its_footer(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    footer_link(page, "Leichte Sprache").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("So machen Sie mit")
    footer_link(page, "Barrierefreiheit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Barrierefreiheit")
    footer_link(page, "Datenschutz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Datenschutzhinweis")
    footer_link(page, "Zur Karte").click()
    page.wait_for_selector("body[data-ready=true]")
    footer_link(page, "Datenschutz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Datenschutzhinweis")


@pytest.mark.parametrize("path", TEXT_PAGES)
def test_text_page_is_german_links_back_to_the_map_and_to_every_text_page(
    page: Page, live_app: LiveApp, path: str
) -> None:
    page.goto(live_app.url + path)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXT_PAGES[path])
    expect(page.get_by_role("main").get_by_role("link", name="Zur Karte")).to_have_attribute(
        "href", "/"
    )
    footer = page.get_by_role("navigation", name="Weitere Seiten")
    hrefs = [link.get_attribute("href") for link in footer.get_by_role("link").all()]
    assert set(hrefs) == {"/", *TEXT_PAGES}
    expect(footer.locator(f'a[href="{path}"]')).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize("path", [*TEXT_PAGES, *TRANSLATED_PRIVACY_NOTICES])
def test_text_page_headings_are_in_order_and_links_easy_to_hit(
    page: Page, live_app: LiveApp, path: str
) -> None:
    page.goto(live_app.url + path)
    levels = [
        int(tag[1])
        for tag in page.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
            "hs => hs.map(h => h.tagName.toLowerCase())"
        )
    ]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in pairwise(levels)), levels
    for link in page.get_by_role("link").all():
        box = link.bounding_box()
        assert box is not None and box["height"] >= 44, (link.inner_text(), box)


@pytest.mark.parametrize("path", TEXT_PAGES)
def test_text_page_passes_axe_wcag_aa_checks(page: Page, live_app: LiveApp, path: str) -> None:
    page.goto(live_app.url + path)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("code", PRIVACY_NOTICES)
def test_privacy_notice_opens_in_the_page_language_and_explains_the_network_hash(
    page: Page, live_app: LiveApp, code: str
) -> None:
    path, heading, daily_key = PRIVACY_NOTICES[code]
    catalog = ui_catalog(code)
    open_map(page, live_app.url)
    page.get_by_label("Sprache").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)
    link = footer_link(page, catalog["privacy"])
    expect(link).to_have_attribute("href", path)
    expect(link).to_have_attribute("hreflang", code)
    expect(page.locator('#field-consent ~ label a[data-page="datenschutz"]')).to_have_attribute(
        "href", path
    )
    link.click()
    expect(page).to_have_url(live_app.url + path)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", code)
    expect(html).to_have_attribute("dir", "rtl" if code == "ar" else "ltr")
    expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("HMAC-SHA-256")
    expect(main).to_contain_text("IPv6")
    expect(main).to_contain_text(daily_key)
    footer = page.get_by_role("contentinfo")
    expect(footer.locator(f'a[href="{path}"]')).to_have_attribute("aria-current", "page")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", TRANSLATED_PRIVACY_NOTICES)
def test_every_privacy_notice_links_all_its_languages_and_every_text_page(
    page: Page, live_app: LiveApp, path: str
) -> None:
    page.goto(live_app.url + path)
    code = page.locator("html").get_attribute("lang")
    languages = page.get_by_role("main").get_by_role("navigation")
    hrefs = {link.get_attribute("href") for link in languages.get_by_role("link").all()}
    assert hrefs == {notice_path for notice_path, *_ in PRIVACY_NOTICES.values()}
    expect(languages.locator(f'a[hreflang="{code}"]')).to_have_attribute("aria-current", "page")
    footer = page.get_by_role("contentinfo")
    hrefs = {link.get_attribute("href") for link in footer.get_by_role("link").all()}
    assert hrefs == {"/", "/leichte-sprache.html", "/barrierefreiheit.html", path}
    languages.get_by_role("link", name="Deutsch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Datenschutzhinweis")
    page.get_by_role("main").get_by_role("link", name="Zur Karte").click()
    page.wait_for_selector("body[data-ready=true]")


def test_switching_to_arabic_mirrors_the_page_and_is_remembered(
    page: Page, live_app: LiveApp
) -> None:
    arabic = ui_catalog("ar")
    open_map(page, live_app.url)
    page.get_by_label("Sprache").select_option("ar")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.get_by_role("button", name=arabic["add_contribution"])).to_be_visible()
    expect(footer_link(page, arabic["accessibility"])).to_have_attribute(
        "href", "/barrierefreiheit.html"
    )
    title = live_app.store.get_consultation("ortsmitte").title["ar"]
    expect(page.locator("#consultation-title")).to_have_text(title)
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("button", name=arabic["add_contribution"])).to_be_visible()


def test_first_visit_follows_the_browser_language(page: Page, live_app: LiveApp) -> None:
    page.add_init_script(
        "Object.defineProperty(navigator, 'languages', { get: () => ['tr-TR', 'tr', 'de'] })"
    )
    open_map(page, live_app.url)
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("button", name=ui_catalog("tr")["add_contribution"])).to_be_visible()
    expect(page.get_by_label("Dil")).to_have_value("tr")


def test_resident_page_in_arabic_passes_axe_wcag_aa_checks(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    page.get_by_label("Sprache").select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("button", name=ui_catalog("ar")["add_contribution"])).to_be_visible()
    assert_no_axe_violations(page)


def test_planner_workspace_links_the_text_pages(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/planner/")
    footer = page.locator("footer")
    hrefs = {link.get_attribute("href") for link in footer.get_by_role("link").all()}
    assert {"/", *TEXT_PAGES} <= hrefs
    footer.get_by_role("link", name="Barrierefreiheit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXT_PAGES["/barrierefreiheit.html"])
