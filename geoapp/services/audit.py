"""Audit events: who changed what, when, as one shape for every service that records them."""

import uuid
from datetime import datetime
from typing import Any

from geoapp.domain import AuditEvent, TargetKind


def event(
    kind: TargetKind,
    target_id: str,
    actor: str,
    action: str,
    changes: dict[str, Any],
    now: datetime,
) -> AuditEvent:
    """A new audit event; `changes` maps each field to [before, after]."""
    return AuditEvent(
        id=str(uuid.uuid4()),
        target_kind=kind,
        target_id=target_id,
        actor=actor,
        action=action,
        changes=changes,
        created_at=now,
    )
