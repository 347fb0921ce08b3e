"""Pydantic schemas of the HTTP API: what comes in, and what anyone may see going out.

Public models are separate classes without private fields, so an e-mail address cannot leak
into a public response by accident. One module per entity; this package is the schema module
the API imports from.
"""

from geoapp.models.base import (
    ALT_MAX,
    NAME_MAX,
    NOTE_MAX,
    POINT_JSON_SCHEMA,
    REPLY_MAX,
    RESPONSE_MAX,
    TEXT_MAX,
    AltText,
    EntrySource,
    ExportColumn,
    FormToken,
    FromDomain,
    Honeypot,
    ImportSource,
    Name,
    Note,
    OptionalPoint,
    Point,
    ReplyText,
    Response,
    Text,
    UtcDatetime,
    UtcOrNaiveDatetime,
    in_utc,
)
from geoapp.models.consultation import (
    CategoryIn,
    CategoryPublic,
    ConsultationCreate,
    ConsultationForPlanner,
    ConsultationPublic,
    ConsultationUpdate,
    PauseChange,
)
from geoapp.models.contribution import (
    ContributionCreate,
    ContributionDetail,
    ContributionEdit,
    ContributionEntry,
    ContributionForPlanner,
    ContributionPublic,
    MyContribution,
    MyContributions,
    PhotoPublic,
    PhotoUploaded,
    SupportState,
)
from geoapp.models.health import Health, Readiness
from geoapp.models.imports import (
    ImportResult,
    ImportRow,
    RefusedRow,
)
from geoapp.models.map import (
    MapConfig,
    NearestPlace,
    PlaceChoice,
)
from geoapp.models.moderation import (
    RejectReason,
    ReportCreate,
    ReportReceipt,
    StatusChange,
)
from geoapp.models.participant import (
    FormStart,
    ParticipantState,
)
from geoapp.models.planner import (
    AuditEventOut,
    PlannerSessionOut,
    SignIn,
)
from geoapp.models.problems import (
    FieldProblem,
    Problem,
)
from geoapp.models.reply import (
    MyReply,
    ReplyCreate,
    ReplyForPlanner,
    ReplyPublic,
)
from geoapp.models.statistics import (
    CountOverTime,
    Statistics,
    SupportedContribution,
)

__all__ = [
    "ALT_MAX",
    "NAME_MAX",
    "NOTE_MAX",
    "POINT_JSON_SCHEMA",
    "REPLY_MAX",
    "RESPONSE_MAX",
    "TEXT_MAX",
    "AltText",
    "AuditEventOut",
    "CategoryIn",
    "CategoryPublic",
    "ConsultationCreate",
    "ConsultationForPlanner",
    "ConsultationPublic",
    "ConsultationUpdate",
    "ContributionCreate",
    "ContributionDetail",
    "ContributionEdit",
    "ContributionEntry",
    "ContributionForPlanner",
    "ContributionPublic",
    "CountOverTime",
    "EntrySource",
    "ExportColumn",
    "FieldProblem",
    "FormStart",
    "FormToken",
    "FromDomain",
    "Health",
    "Honeypot",
    "ImportResult",
    "ImportRow",
    "ImportSource",
    "MapConfig",
    "MyContribution",
    "MyContributions",
    "MyReply",
    "Name",
    "NearestPlace",
    "Note",
    "OptionalPoint",
    "ParticipantState",
    "PauseChange",
    "PhotoPublic",
    "PhotoUploaded",
    "PlaceChoice",
    "PlannerSessionOut",
    "Point",
    "Problem",
    "Readiness",
    "RefusedRow",
    "RejectReason",
    "ReplyCreate",
    "ReplyForPlanner",
    "ReplyPublic",
    "ReplyText",
    "ReportCreate",
    "ReportReceipt",
    "Response",
    "SignIn",
    "Statistics",
    "StatusChange",
    "SupportState",
    "SupportedContribution",
    "Text",
    "UtcDatetime",
    "UtcOrNaiveDatetime",
    "in_utc",
]
