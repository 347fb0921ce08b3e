"""Generated pins with known themes: benches and seating, lighting at night, a cycle path.

Each theme is written in many ways (different words, word forms, lengths and fillers), so a
grouping that recovers them does so from what the texts mean, not from one repeated sentence.
"""

import itertools

from geoapp.domain import Consultation
from geoapp.store.base import Store
from tests.factories import make_contribution

THEMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "sitzen": (
        [
            "Mehr Bänke",
            "Eine Bank",
            "Sitzbänke",
            "Bänke zum Ausruhen",
            "Eine Sitzgelegenheit",
            "Neue Parkbänke",
            "Bänke mit Lehne",
        ],
        [
            "im Schatten",
            "am Spielplatz",
            "für ältere Menschen",
            "unter den Bäumen",
            "am Teich",
            "zum Verweilen",
        ],
        [
            "wären schön.",
            "fehlen hier.",
            "bitte aufstellen!",
            "zum Hinsetzen wünsche ich mir.",
            "würden den Platz beleben.",
        ],
    ),
    "licht": (
        [
            "Die Beleuchtung",
            "Mehr Laternen",
            "Straßenlaternen",
            "Helles Licht",
            "Die Lampen",
            "Eine bessere Beleuchtung",
            "Licht",
        ],
        [
            "am Weg nachts",
            "abends im Park",
            "nach Einbruch der Dunkelheit",
            "in der Nacht",
            "auf dem dunklen Fußweg",
            "im Winter abends",
        ],
        [
            "ist zu dunkel.",
            "fehlt, man fühlt sich unsicher.",
            "bitte erneuern!",
            "damit man nachts sicher nach Hause kommt.",
            "sind kaputt.",
        ],
    ),
    "radweg": (
        [
            "Ein Radweg",
            "Der Fahrradweg",
            "Eine sichere Radverbindung",
            "Radfahrstreifen",
            "Ein breiter Radweg",
            "Fahrradstraße",
            "Radspur",
        ],
        [
            "zur Schule",
            "nach Kamen",
            "an der Hauptstraße",
            "entlang der Bahn",
            "für Kinder auf dem Rad",
            "zum Bahnhof",
        ],
        [
            "fehlt.",
            "wäre wichtig für Radfahrer.",
            "bitte ausbauen!",
            "mit Markierung auf der Fahrbahn.",
            "damit Radler nicht auf dem Gehweg fahren.",
        ],
    ),
}


def theme_texts(per_theme: int = 20) -> list[tuple[str, str]]:
    """(theme, text) pairs, `per_theme` of each theme, the themes interleaved."""
    made: dict[str, list[str]] = {}
    for theme, (subjects, places, endings) in THEMES.items():
        combos = itertools.product(range(len(subjects)), range(len(places)), range(len(endings)))
        # Step through the combinations so that consecutive texts differ in every part.
        chosen = [c for i, c in enumerate(combos) if i % 11 == 0][:per_theme]
        made[theme] = [f"{subjects[s]} {places[p]} {endings[e]}" for s, p, e in chosen]
    return [(theme, made[theme][i]) for i in range(per_theme) for theme in THEMES]


def spot(theme: str, index: int) -> list[float]:
    """Benches in the west of the test perimeter, lights in the middle, the cycle path east."""
    lon = {"sitzen": 7.7090, "licht": 7.7135, "radweg": 7.7165}[theme]
    return [lon + index % 5 * 0.0002, 51.5760 + index % 7 * 0.0005]


def plant_themes(store: Store, consultation: Consultation) -> dict[str, str]:
    """60 published pins, 20 per theme, at their theme's spot; pin id → theme.

    The cycle path is filed under "parken-verkehr", the others under "sitzen-aufenthalt".
    """
    theme_of = {}
    for index, (theme, text) in enumerate(theme_texts()):
        category = "parken-verkehr" if theme == "radweg" else "sitzen-aufenthalt"
        pin = make_contribution(
            store, consultation, spot(theme, index), category=category, text=text
        )
        theme_of[pin.id] = theme
    return theme_of
