"""Pydantic schemas of the HTTP API: what comes in, and what anyone may see going out.

Public models are separate classes without private fields, so an e-mail address cannot leak
into a public response by accident.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from geoapp.domain import (
    ConsultationStatus,
    Moderation,
    PlannerRole,
    ReportReason,
    ResponseStatus,
    Source,
    Status,
    TargetKind,
)


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


TEXT_MAX = 2000
NAME_MAX = 80
REPLY_MAX = 1000
NOTE_MAX = 500
ALT_MAX = 300

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NAME_MAX)]
ReplyText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REPLY_MAX)
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)]
AltText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=ALT_MAX)]


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


class ContributionCreate(BaseModel):
    """A resident's new pin, as the map form sends it."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "geometry": {"type": "Point", "coordinates": [7.7128, 51.5778]},
                "category": "sitzen-aufenthalt",
                "text": "Mehr Bänke mit Aufstehhilfe vor der Sparkasse.",
                "author_name": "Erika",
                "consent": True,
            }
        }
    )

    geometry: OptionalPoint = Field(
        default=None,
        description="GeoJSON Point, coordinates [longitude, latitude] (WGS84); "
        "null only together with without_location.",
    )
    without_location: bool = Field(
        default=False,
        description='The contribution is about the consultation as a whole ("ohne Ort").',
    )
    category: str = Field(description="A category key of the consultation.")
    text: Text
    author_name: Name | None = Field(default=None, description="Shown publicly; optional.")
    contact_email: EmailStr | None = Field(
        default=None, description="Private: only planners see it; never in public output."
    )
    consent: Literal[True] = Field(description="The privacy notice was read and accepted.")
    photo_id: str | None = Field(
        default=None,
        description="Optional photo: upload it first with POST /api/photos (multipart), then "
        "send the `id` it returned here. The photo must come from the same browser.",
    )
    photo_alt: AltText | None = Field(
        default=None, description="Describes the photo for people who cannot see it."
    )
    form_token: FormToken = None
    website: Honeypot = None


class CategoryPublic(FromDomain):
    key: str
    label: str
    color: str


class ConsultationPublic(FromDomain):
    slug: str
    title: str
    description: str
    question: str
    status: ConsultationStatus
    opens_at: datetime
    closes_at: datetime
    moderation: Moderation
    allow_replies: bool
    allow_photos: bool
    paused: bool = Field(
        default=False, description="A planner has paused intake: no pins or replies for now."
    )
    pause_message: str | None = Field(
        default=None, description="The planners' message while paused (none: a default text)."
    )
    perimeter: dict[str, Any]
    categories: list[CategoryPublic]


class PhotoPublic(BaseModel):
    """A contribution's photo: both images are re-encoded, without any metadata."""

    url: str = Field(description="JPEG, at most 1600 px on its long edge.")
    thumbnail_url: str = Field(description="JPEG, at most 400 px on its long edge.")
    alt: str | None = Field(description="The resident's description of the photo.")


class PhotoUploaded(BaseModel):
    """A stored upload; send `id` as `photo_id` with the new contribution."""

    id: str
    url: str
    thumbnail_url: str


class ContributionPublic(FromDomain):
    """What anyone may see of a contribution (its GeoJSON properties, plus id and geometry)."""

    id: str
    consultation: str
    geometry: dict[str, Any] | None
    category: str
    text: str
    author_name: str | None
    created_at: datetime
    support_count: int
    status: Status
    reply_count: int = Field(default=0, description="Published replies.")
    photo: PhotoPublic | None = None
    planner_response: str | None = Field(
        default=None, description="The planners' public answer, shown under the pin."
    )
    response_status: ResponseStatus | None = Field(
        default=None, description="Where the pin stands, e.g. 'planned' (wird umgesetzt)."
    )


class ReplyCreate(BaseModel):
    """A resident's reply to a published contribution."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"text": "Da stimme ich zu.", "author_name": "Jonas"}}
    )

    text: ReplyText
    author_name: Name | None = Field(default=None, description="Shown publicly; optional.")
    form_token: FormToken = None
    website: Honeypot = None


class ReplyPublic(FromDomain):
    id: str
    contribution_id: str
    text: str
    author_name: str | None
    created_at: datetime
    status: Status = Field(description="'published' when shown at once, 'pending' until approved.")


class ContributionDetail(ContributionPublic):
    """One published contribution with its published replies, for the pin's popup."""

    replies: list[ReplyPublic]
    supported_by_me: bool = Field(description="Whether this browser supports the contribution.")


class SupportState(BaseModel):
    support_count: int
    supported_by_me: bool


class ReportCreate(BaseModel):
    """A resident's report of an inappropriate contribution or reply."""

    model_config = ConfigDict(json_schema_extra={"example": {"reason": "insult", "note": ""}})

    reason: ReportReason
    note: Note | None = Field(default=None, description="Optional: what is wrong with it.")


class ReportReceipt(BaseModel):
    """The report was received; planners will look at it."""

    target: TargetKind
    id: str
    reason: ReportReason


class MyContribution(ContributionPublic):
    """One of the participant's own pins, with the planners' public answer when there is one."""

    status_reason: str | None


class MyReply(ReplyPublic):
    """One of the participant's own replies, with the planners' reason when it is not shown."""

    status_reason: str | None


class MyContributions(BaseModel):
    """What this browser sent ("Meine Beiträge"), newest first, in every status."""

    contributions: list[MyContribution]
    replies: list[MyReply]


class MapConfig(BaseModel):
    """Server settings the map page needs."""

    tile_url: str
    tile_attribution: str
    # A list of two rather than a tuple: its JSON Schema then needs no `prefixItems`, which
    # OpenAPI tools (Schemathesis among them) still read wrongly.
    center: list[float] = Field(
        min_length=2, max_length=2, description="[latitude, longitude] as Leaflet expects."
    )
    zoom: int
    languages: list[str]


class PlaceChoice(BaseModel):
    """A named place or street a resident can choose instead of clicking the map."""

    id: str
    kind: Literal["place", "street"]
    label: str
    label_en: str
    geometry: dict[str, Any] = Field(description="Where the pin goes (GeoJSON Point).")
    fallback: bool = Field(description="No known coordinate: the pin goes to the area's centre.")
    approximate: bool
    inside: bool = Field(description="Whether the point lies in the consultation's area.")


class NearestPlace(BaseModel):
    """The named place nearest to a point: describes a spot in words."""

    label: str
    label_en: str
    distance_m: int
    bearing: int = Field(description="Degrees clockwise from north, from the place to the point.")


class SignIn(BaseModel):
    """A planner's sign-in form."""

    username: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
    password: Annotated[str, StringConstraints(max_length=1000)]


class PlannerSessionOut(BaseModel):
    """Who is signed in, and the token every state-changing request sends as X-CSRF-Token."""

    username: str
    role: PlannerRole
    csrf_token: str
    expires_at: datetime


class CategoryIn(FromDomain):
    """A category as planners define it: key, label per language, colour (#rrggbb)."""

    key: str = Field(examples=["sitzen-aufenthalt"])
    label: dict[str, str] = Field(examples=[{"de": "Sitzen & Aufenthalt", "en": "Seating"}])
    color: str = Field(examples=["#1f6feb"])


class ConsultationCreate(BaseModel):
    """A new consultation; texts per language with German required."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "slug": "spielplatz-2027",
                "title": {"de": "Neuer Spielplatz", "en": "New playground"},
                "question": {"de": "Was soll es dort geben?"},
                "opens_at": "2027-03-01T08:00:00+01:00",
                "closes_at": "2027-04-01T18:00:00+02:00",
                "categories": [
                    {"key": "spielen", "label": {"de": "Spielen", "en": "Play"}, "color": "#1f6feb"}
                ],
                "perimeter": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [7.7078, 51.5748],
                            [7.7178, 51.5748],
                            [7.7178, 51.5808],
                            [7.7078, 51.5808],
                            [7.7078, 51.5748],
                        ]
                    ],
                },
            }
        }
    )

    slug: str = Field(description="Lower-case letters, digits and hyphens; part of the URL.")
    title: dict[str, str]
    description: dict[str, str] = Field(default_factory=dict)
    question: dict[str, str]
    opens_at: UtcDatetime
    closes_at: UtcDatetime
    status: ConsultationStatus = ConsultationStatus.DRAFT
    moderation: Moderation = Moderation.PRE
    allow_replies: bool = True
    allow_photos: bool = True
    categories: list[CategoryIn]
    perimeter: dict[str, Any] = Field(
        description="GeoJSON (Multi)Polygon in WGS84: a geometry, a Feature or a collection of one."
    )


class ConsultationUpdate(BaseModel):
    """The fields to change; the rest stay as they are. `status` opens, closes or archives."""

    title: dict[str, str] | None = None
    description: dict[str, str] | None = None
    question: dict[str, str] | None = None
    opens_at: UtcDatetime | None = None
    closes_at: UtcDatetime | None = None
    status: ConsultationStatus | None = None
    moderation: Moderation | None = None
    allow_replies: bool | None = None
    allow_photos: bool | None = None
    categories: list[CategoryIn] | None = None
    perimeter: dict[str, Any] | None = None


class ConsultationForPlanner(FromDomain):
    """A consultation with every language's texts, as the planner workspace edits it."""

    slug: str
    title: dict[str, str]
    description: dict[str, str]
    question: dict[str, str]
    status: ConsultationStatus
    opens_at: datetime
    closes_at: datetime
    moderation: Moderation
    allow_replies: bool
    allow_photos: bool
    paused: bool = False
    pause_message: str | None = None
    categories: list[CategoryIn]
    perimeter: dict[str, Any]
    created_at: datetime | None
    updated_at: datetime | None


def _sources(name: str, *members: Source) -> type[StrEnum]:
    """A subset of `Source` as an enum of its own (for the API's input schemas)."""
    return StrEnum(name, {m.name: m.value for m in members})  # type: ignore[return-value]


EntrySource = _sources("EntrySource", Source.OFFICE, Source.WORKSHOP, Source.PAPER)
"""Where a pin entered by a planner came from."""
ImportSource = _sources("ImportSource", Source.OFFICE, Source.WORKSHOP, Source.PAPER, Source.IMPORT)
"""Where imported pins came from; `import` when nothing more is known."""


class ContributionEntry(BaseModel):
    """A pin a planner enters for a resident (office visit, workshop, paper card)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "geometry": {"type": "Point", "coordinates": [7.7128, 51.5778]},
                "category": "sitzen-aufenthalt",
                "text": "Postkarte: Eine Bank am Marktplatz wäre schön.",
                "source": "paper",
            }
        }
    )

    geometry: Point = Field(description="GeoJSON Point, coordinates [longitude, latitude] (WGS84).")
    category: str
    text: Text
    author_name: Name | None = None
    contact_email: EmailStr | None = None
    source: EntrySource


class ImportRow(BaseModel):
    """A pin the import creates (or would create, in a preview)."""

    row: int = Field(description="CSV: the spreadsheet row (header = 1); else the feature number.")
    category: str
    text: str
    author_name: str | None
    geometry: dict[str, Any]


class RefusedRow(BaseModel):
    row: int
    reason: str


class ImportResult(BaseModel):
    """What an import creates and every row it leaves out, with the reason."""

    dry_run: bool
    create: list[ImportRow]
    refused: list[RefusedRow]
    created: int = Field(description="Pins created (0 in a preview).")


class CountOverTime(BaseModel):
    period: str = Field(description="ISO week (2026-W47) or date (2026-11-26), Europe/Berlin.")
    count: int
    cumulative: int


class SupportedContribution(BaseModel):
    id: str
    category: str
    text: str
    support_count: int
    created_at: datetime


class Statistics(BaseModel):
    """Counts of one consultation's contributions, every status included unless said otherwise."""

    consultation: str
    total: int
    by_category: dict[str, int]
    by_status: dict[str, int]
    by_source: dict[str, int]
    by_week: list[CountOverTime]
    by_day: list[CountOverTime]
    most_supported: list[SupportedContribution] = Field(
        description="The ten published contributions with the most supports."
    )


RESPONSE_MAX = 2000


class RejectReason(StrEnum):
    """Why a planner rejects or hides a contribution or reply (shown to its author)."""

    OFF_TOPIC = "off_topic"
    OUTSIDE_REMIT = "outside_remit"
    INSULT = "insult"
    PERSONAL_DATA = "personal_data"
    ADVERTISING = "advertising"
    DUPLICATE = "duplicate"
    OTHER = "other"


Response = Annotated[str, StringConstraints(strip_whitespace=True, max_length=RESPONSE_MAX)]


class StatusChange(BaseModel):
    """A moderation decision: publish, reject or hide (with a reason), or restore."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "status": "rejected",
                "reason": "off_topic",
                "response": "Danke! Das betrifft den Busfahrplan, bitte fragen Sie die VKU.",
            }
        }
    )

    status: Status
    reason: RejectReason | None = Field(
        default=None, description="Required when rejecting or hiding."
    )
    response: Response | None = Field(
        default=None, description="Public answer shown under the pin (contributions only)."
    )
    response_status: ResponseStatus | None = None


class ContributionEdit(BaseModel):
    """A planner's correction or public answer; only the given fields change."""

    category: str | None = None
    text: Text | None = None
    geometry: OptionalPoint = Field(default=None, description="GeoJSON Point (WGS84).")
    planner_response: Response | None = Field(
        default=None, description="Public answer; an empty string removes it."
    )
    response_status: ResponseStatus | None = None


class ContributionForPlanner(FromDomain):
    """A contribution with what only planners see: contact e-mail, source, open reports."""

    id: str
    consultation: str
    geometry: dict[str, Any] | None
    category: str
    text: str
    author_name: str | None
    contact_email: str | None
    language: str
    source: Source
    status: Status
    status_reason: str | None
    planner_response: str | None
    response_status: ResponseStatus | None
    support_count: int
    reply_count: int
    has_photo: bool
    open_reports: int
    report_networks: int = Field(
        default=0, description="Distinct networks among the open reports (hashed, per day)."
    )
    created_at: datetime
    updated_at: datetime


class ReplyForPlanner(FromDomain):
    id: str
    contribution_id: str
    text: str
    author_name: str | None
    language: str
    status: Status
    status_reason: str | None
    open_reports: int
    report_networks: int = Field(
        default=0, description="Distinct networks among the open reports (hashed, per day)."
    )
    created_at: datetime


class AuditEventOut(FromDomain):
    """One entry of the audit trail: `changes` maps a field to [before, after]."""

    actor: str
    action: str
    changes: dict[str, Any]
    created_at: datetime


class ParticipantState(BaseModel):
    """Whether POST /api/participant issued a new token cookie or the browser had one."""

    new: bool


class FormStart(BaseModel):
    """A signed form-start time: send it back as `form_token` with the pin or reply."""

    token: str
    min_seconds: float = Field(description="Sends sooner than this after opening are refused.")


class PauseChange(BaseModel):
    """A planner pauses a consultation's intake (with an optional message) or resumes it."""

    paused: bool
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = (
        Field(default=None, description="Shown to residents while paused; empty: a default text.")
    )


class FieldProblem(BaseModel):
    """What is wrong with one field of the request."""

    field: str = Field(description='The field, or "body" for the request as a whole.')
    message: str = Field(description="What to fix, in the request's language.")


class Problem(BaseModel):
    """An RFC 9457 problem (application/problem+json): the answer to every refused request."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "type": "urn:geoapp:problem:text_too_long",
                "title": "Bitte Eingabe prüfen",
                "status": 422,
                "detail": "Ihr Text ist zu lang. Erlaubt sind höchstens 2000 Zeichen. "
                "Bitte kürzen Sie ihn.",
                "code": "text_too_long",
                "errors": [
                    {
                        "field": "text",
                        "message": "Ihr Text ist zu lang. Erlaubt sind höchstens 2000 Zeichen. "
                        "Bitte kürzen Sie ihn.",
                    }
                ],
            }
        }
    )

    type: str = Field(description="urn:geoapp:problem:<code>")
    title: str = Field(description="The kind of problem, in the request's language.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What to fix, in the request's language.")
    code: str = Field(description="A stable key for programs, e.g. text_too_long.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="Per field, when the problem concerns fields."
    )
