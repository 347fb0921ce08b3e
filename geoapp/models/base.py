"""Limits, shared field types and the base of every response read from a domain object."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from geoapp.domain import Source

TEXT_MAX = 2000
NAME_MAX = 80
REPLY_MAX = 1000
NOTE_MAX = 500
ALT_MAX = 300
RESPONSE_MAX = 2000


@dataclass(frozen=True)
class ExportColumn:
    """Marks a planner field as an export column, and says what the column means.

    `services/export_columns.py` reads these, so the export and its data dictionary follow
    the field where it is declared.
    """

    short: str
    """Shapefile field name (dBase allows at most 10 characters)."""
    de: str
    en: str


CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 and C1 control characters but tab and line breaks: invisible to the writer, refused by
PostgreSQL (NUL) and by XML 1.0, so a KML or GeoPackage reader would fail on the export."""


def printable(text: str) -> str:
    """`text` unless it holds a control character (a pydantic error a resident can act on)."""
    if CONTROL_CHARACTERS.search(text):
        raise PydanticCustomError("control_characters", "text holds control characters")
    return text


Printable = AfterValidator(printable)
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX),
    Printable,
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NAME_MAX), Printable]
ReplyText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=REPLY_MAX),
    Printable,
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX), Printable]
AltText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=ALT_MAX), Printable]
Response = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=RESPONSE_MAX), Printable
]


def in_utc(moment: datetime) -> datetime:
    """`moment` in UTC, a moment without zone taken as UTC; refused if UTC cannot hold it.

    9999-12-31T23:59:59-23:59 is a valid ISO 8601 time whose UTC date is in the year 10000,
    beyond what Python's datetime (and so the store) can represent.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("the time in UTC lies outside the years 1 to 9999") from None


UtcDatetime = Annotated[AwareDatetime, AfterValidator(in_utc)]
"""A time with its zone (required), as UTC."""


UtcOrNaiveDatetime = Annotated[datetime, AfterValidator(in_utc)]
"""A time as UTC; without a zone it is taken to be UTC already."""


POSTER_KEY_PATTERN = "^[a-z2-7]{8}$"
PosterKey = Annotated[
    str,
    StringConstraints(pattern=POSTER_KEY_PATTERN),
    Field(description="A poster's key, as its link says it (`via=poster-KEY`)."),
]


FormToken = Annotated[
    str | None,
    Field(description="The token GET /api/form-start gave when the form opened (bot check)."),
]


Honeypot = Annotated[
    str | None,
    Field(
        description="Leave empty: a field people never see, so only a bot fills it.",
        max_length=300,
    ),
]


POINT_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"const": "Point"},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    },
}


# Any JSON value comes in, so that geo.parse_location can say what is wrong with it in the
# resident's language; the document shows what is expected.
Point = Annotated[Any, WithJsonSchema(POINT_JSON_SCHEMA)]


OptionalPoint = Annotated[Any, WithJsonSchema({"anyOf": [POINT_JSON_SCHEMA, {"type": "null"}]})]


def _sources(name: str, *members: Source) -> type[StrEnum]:
    """A subset of `Source` as an enum of its own (for the API's input schemas)."""
    return StrEnum(name, {m.name: m.value for m in members})  # type: ignore[return-value]


EntrySource = _sources("EntrySource", Source.OFFICE, Source.WORKSHOP, Source.PAPER)
"""Where a pin entered by a planner came from."""


ImportSource = _sources("ImportSource", Source.OFFICE, Source.WORKSHOP, Source.PAPER, Source.IMPORT)
"""Where imported pins came from; `import` when nothing more is known."""


class FromDomain(BaseModel):
    """A response read from a domain object's attributes; what the class lacks is never read.

    So a public class without `contact_email` cannot show one, whatever the object holds.
    """

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, obj: Any, **extra: Any) -> Self:
        """The response to `obj`, with `extra` for what the object holds otherwise or not."""
        return cls.model_validate(_Attributes(obj, extra))


class _Attributes:
    """`obj`'s attributes, with those in `extra` put before them."""

    __slots__ = ("_extra", "_obj")

    def __init__(self, obj: Any, extra: dict[str, Any]) -> None:
        self._obj = obj
        self._extra = extra

    def __getattr__(self, name: str) -> Any:
        if name in self._extra:
            return self._extra[name]
        return getattr(self._obj, name)
