"""Every catalog has exactly German's keys and placeholders, and every offered language has both."""

import json
from datetime import UTC, datetime
from pathlib import Path
from string import Formatter

import pytest

import geoapp.i18n
from geoapp.config import Settings
from geoapp.i18n import SOURCE_LANGUAGE, translate

CATALOG_FOLDERS = {
    "server": Path(geoapp.i18n.__file__).parent,
    "ui": Settings().static_dir / "i18n",
}


def load(folder: Path, language: str) -> dict[str, str]:
    return json.loads((folder / f"{language}.json").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    """The {names} in a message; doubled braces are literal, as str.format reads them."""
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError as error:
        return {f"<unbalanced braces: {error}>"}


def translations() -> list[pytest.ParameterSet]:
    """(catalog folder, language) for every non-German catalog file there is."""
    return [
        pytest.param(folder, path.stem, id=f"{kind}-{path.stem}")
        for kind, folder in CATALOG_FOLDERS.items()
        for path in sorted(folder.glob("*.json"))
        if path.stem != SOURCE_LANGUAGE
    ]


@pytest.mark.parametrize(("folder", "language"), translations())
def test_catalog_has_exactly_the_german_keys(folder: Path, language: str) -> None:
    german, translated = load(folder, SOURCE_LANGUAGE), load(folder, language)
    missing = sorted(german.keys() - translated.keys())
    extra = sorted(translated.keys() - german.keys())
    assert (missing, extra) == ([], []), (
        f"{folder / language}.json: missing keys {missing}, keys German lacks {extra}"
    )


@pytest.mark.parametrize(("folder", "language"), translations())
def test_catalog_has_no_empty_message(folder: Path, language: str) -> None:
    empty = [key for key, text in load(folder, language).items() if not str(text).strip()]
    assert empty == [], f"{folder / language}.json: empty messages {empty}"


@pytest.mark.parametrize(("folder", "language"), translations())
def test_catalog_keeps_every_placeholder(folder: Path, language: str) -> None:
    german, translated = load(folder, SOURCE_LANGUAGE), load(folder, language)
    differing = {
        key: {"de": sorted(placeholders(german[key])), language: sorted(placeholders(text))}
        for key, text in translated.items()
        if key in german and placeholders(text) != placeholders(german[key])
    }
    assert differing == {}, f"{folder / language}.json: placeholders differ {differing}"


@pytest.mark.parametrize("language", Settings().languages)
def test_every_offered_language_has_both_catalogs(language: str) -> None:
    absent = [
        kind
        for kind, folder in CATALOG_FOLDERS.items()
        if not (folder / f"{language}.json").is_file()
    ]
    assert absent == [], f"{language} is offered but has no {absent} catalog"


def test_seven_languages_are_offered_by_default() -> None:
    assert set(Settings().languages) == {"de", "en", "tr", "ar", "uk", "pl", "ru"}


def test_messages_write_dates_and_numbers_as_their_readers_do() -> None:
    moment = datetime(2027, 6, 30, 21, 59, tzinfo=UTC)  # 23:59 in Kamen (summer time)
    assert translate("consultation_closed", "de", closes_at=moment).count("30.06.2027 23:59") == 1
    english = translate("consultation_closed", "en", closes_at=moment)
    assert "Jun 30, 2027" in english and "11:59" in english
    assert "2.000" in translate("text_too_long", "de", max=2000)
    assert "2,000" in translate("text_too_long", "en", max=2000)
