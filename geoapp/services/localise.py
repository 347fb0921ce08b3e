"""Pick one language out of per-language texts, falling back to German."""

from geoapp.domain import LocalText
from geoapp.i18n import SOURCE_LANGUAGE


def pick(text: LocalText, language: str) -> str:
    """`text` in `language`, else German, else any language there is."""
    return text.get(language) or text.get(SOURCE_LANGUAGE) or next(iter(text.values()), "")
