"""Template and markup payloads, and a consultation that carries them in every text field.

Each payload is something a resident or a planner can type. Wherever the service writes text
into a generated file (report map, data package, exports) it must come out as these exact
characters: never evaluated as a template, never parsed as HTML, SVG or Markdown.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from geoapp.domain import Category, Contribution, Photo, Reply, Status
from geoapp.store.base import Store
from tests.factories import make_consultation

PAYLOADS: tuple[str, ...] = (
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ 7*7 }} Sitzbank",
    "{% for x in range(3) %}wiederholt{% endfor %}",
    "Treffpunkt {# am Markt",
    "{% raw %}roh",
    "Kosten $\\frac{1}{2$ und $x^{2$ offen",
    "{{ unclosed",
    "{% endraw %}{% if %}",
    "<script>window.__pwned = 'script'</script>",
    "</script><script>window.__pwned = 'breakout'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<svg onload=\"window.__pwned = 'svg'\"><circle r=9 /></svg>",
    "<b>fett</b> & <i>kursiv</i> <!-- Kommentar",
    "# Überschrift **fett** [Link](javascript:alert(1)) `code` | Tabelle |",
    "${7*7} #{7*7} %(name)s {0} {name}",
    "]]> <![CDATA[ x",
)
"""One payload per field below; PAYLOADS[i % len] fills the i-th field."""

EVALUATED = ("uid=", "49 Sitzbank", "wiederholtwiederholt")
"""What would appear if a payload were run as a template (none of it may)."""

SLUG = "angriff"


@dataclass
class Planted:
    """Where each payload was put: field name → payload."""

    consultation_id: str
    fields: dict[str, str]
    contribution_ids: list[str]


def plant(store: Store) -> Planted:
    """A consultation whose every user- and planner-typed text is a payload."""
    fields: dict[str, str] = {}

    def payload(field: str) -> str:
        fields[field] = PAYLOADS[len(fields) % len(PAYLOADS)]
        return fields[field]

    consultation = make_consultation(store, slug=SLUG)
    consultation.title = {"de": payload("title"), "en": payload("title_en")}
    consultation.question = {"de": payload("question"), "en": payload("question_en")}
    consultation.description = {"de": payload("description"), "en": "Description"}
    consultation.categories = [
        Category("bank", {"de": payload("category_a"), "en": "Benches"}, "#1f6feb"),
        Category("weg", {"de": payload("category_b"), "en": "Paths"}, "#b35900"),
    ]
    store.update_consultation(consultation)
    now = datetime.now(UTC)
    ids: list[str] = []
    for index, text in enumerate(PAYLOADS):
        photo = Photo(str(uuid.uuid4()), "teilnehmer", 400, 300, now)
        store.add_photo(photo)
        contribution = Contribution(
            id=str(uuid.uuid4()),
            consultation_id=consultation.id,
            geometry={
                "type": "Point",
                # A 4 × 4 grid about 150 m apart: no two pins share a cluster in the report.
                "coordinates": [7.7090 + index % 4 * 0.0022, 51.5755 + index // 4 * 0.0013],
            },
            category="bank" if (index + index // 4) % 2 == 0 else "weg",
            text=text,
            status=Status.PUBLISHED,
            created_at=now,
            updated_at=now,
            author_name=PAYLOADS[(index + 1) % len(PAYLOADS)],
            photo_id=photo.id,
            photo_alt=PAYLOADS[(index + 2) % len(PAYLOADS)],
            planner_response=PAYLOADS[(index + 3) % len(PAYLOADS)],
        )
        store.add_contribution(contribution)
        store.add_reply(
            Reply(
                id=str(uuid.uuid4()),
                contribution_id=contribution.id,
                text=PAYLOADS[(index + 4) % len(PAYLOADS)],
                status=Status.PUBLISHED,
                created_at=now,
                updated_at=now,
                author_name=PAYLOADS[(index + 5) % len(PAYLOADS)],
            )
        )
        ids.append(contribution.id)
    return Planted(consultation.id, fields, ids)
