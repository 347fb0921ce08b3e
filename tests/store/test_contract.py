"""The Store contract: every backend must pass these (parametrised in conftest.store)."""

import math
import random
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest

from geoapp.domain import (
    Answer,
    ApiToken,
    AuditEvent,
    BBox,
    ConsultationStatus,
    Contribution,
    ContributionQuery,
    Grid,
    Hit,
    IdempotencyKey,
    IdempotencyKeyTaken,
    IdempotencyRecord,
    Keyset,
    ListOrder,
    Moderation,
    ModerationQuery,
    OverLimit,
    Photo,
    PhotoTaken,
    Planner,
    PlannerRole,
    PlannerSession,
    Poster,
    PosterSize,
    Report,
    ReportReason,
    ReportTally,
    ResponseStatus,
    SigninFailures,
    Source,
    Status,
    TargetKind,
    ThemeTextQuery,
)
from geoapp.store import Store, open_store
from tests.factories import (
    INSIDE,
    make_consultation,
    make_contribution,
    make_planner,
    make_reply,
)


def test_consultation_round_trips_with_translations_and_categories(store: Store) -> None:
    made = make_consultation(store, slug="ortsmitte", moderation=Moderation.PRE)
    loaded = store.get_consultation("ortsmitte")
    assert loaded == made
    assert loaded.opens_at.tzinfo is not None
    assert [c.key for c in loaded.categories] == ["sitzen-aufenthalt", "parken-verkehr"]


def test_unknown_slug_is_none(store: Store) -> None:
    assert store.get_consultation("gibt-es-nicht") is None


def test_contribution_round_trips_including_private_email(store: Store) -> None:
    consultation = make_consultation(store)
    made = make_contribution(store, consultation, contact_email="erika@example.org")
    loaded = store.get_contribution(made.id)
    assert loaded == made
    assert loaded.contact_email == "erika@example.org"


def test_listing_filters_by_status_newest_first(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    old = make_contribution(store, consultation, created_at=now - timedelta(days=2))
    new = make_contribution(store, consultation, created_at=now)
    make_contribution(store, consultation, status=Status.PENDING)
    make_contribution(store, consultation, status=Status.REJECTED)
    query = ContributionQuery(consultation_id=consultation.id)
    assert [c.id for c in store.list_contributions(query)] == [new.id, old.id]
    assert store.count_contributions(query) == 2


def test_listing_keeps_consultations_apart(store: Store) -> None:
    first = make_consultation(store, slug="a")
    second = make_consultation(store, slug="b")
    mine = make_contribution(store, first)
    make_contribution(store, second)
    listed = store.list_contributions(ContributionQuery(consultation_id=first.id))
    assert [c.id for c in listed] == [mine.id]


def test_listing_filters_by_category(store: Store) -> None:
    consultation = make_consultation(store)
    parking = make_contribution(store, consultation, category="parken-verkehr")
    make_contribution(store, consultation, category="sitzen-aufenthalt")
    query = ContributionQuery(consultation_id=consultation.id, categories=["parken-verkehr"])
    assert [c.id for c in store.list_contributions(query)] == [parking.id]


def test_bbox_returns_only_pins_inside_it(store: Store) -> None:
    consultation = make_consultation(store)
    west = make_contribution(store, consultation, coordinates=[7.7090, 51.5778])
    east = make_contribution(store, consultation, coordinates=[7.7170, 51.5778])
    query = ContributionQuery(
        consultation_id=consultation.id, bbox=BBox(7.7080, 51.5700, 7.7120, 51.5800)
    )
    assert [c.id for c in store.list_contributions(query)] == [west.id]
    wide = ContributionQuery(consultation_id=consultation.id, bbox=BBox(7.70, 51.57, 7.72, 51.59))
    assert {c.id for c in store.list_contributions(wide)} == {west.id, east.id}


def test_bbox_on_the_edge_includes_the_point(store: Store) -> None:
    consultation = make_consultation(store)
    pin = make_contribution(store, consultation, coordinates=INSIDE)
    lon, lat = INSIDE
    query = ContributionQuery(consultation_id=consultation.id, bbox=BBox(lon, lat, lon, lat))
    assert [c.id for c in store.list_contributions(query)] == [pin.id]


def test_paging_with_limit_and_offset(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    made = [
        make_contribution(store, consultation, created_at=now - timedelta(minutes=i))
        for i in range(5)
    ]
    page = store.list_contributions(
        ContributionQuery(consultation_id=consultation.id, limit=2, offset=2)
    )
    assert [c.id for c in page] == [made[2].id, made[3].id]


def test_data_survives_reopening_and_migrating_again(store: Store, store_url: str) -> None:
    consultation = make_consultation(store)
    made = make_contribution(store, consultation)
    store.close()
    reopened = open_store(store_url)
    try:
        assert reopened.get_contribution(made.id) == made
    finally:
        reopened.close()


def test_consultation_found_by_id(store: Store) -> None:
    made = make_consultation(store)
    assert store.get_consultation_by_id(made.id) == made
    assert store.get_consultation_by_id(str(uuid.uuid4())) is None


def test_support_counts_once_per_participant_and_can_be_taken_back(store: Store) -> None:
    pin = make_contribution(store, make_consultation(store))
    now = datetime.now(UTC)
    assert [store.set_support(pin.id, "a" * 64, True, now) for _ in range(3)] == [1, 1, 1]
    assert store.set_support(pin.id, "b" * 64, True, now) == 2
    assert store.supported_among("a" * 64, [pin.id, str(uuid.uuid4())]) == {pin.id}
    assert store.set_support(pin.id, "a" * 64, False, now) == 1
    assert store.set_support(pin.id, "a" * 64, False, now) == 1
    assert store.supported_among("a" * 64, [pin.id]) == set()
    assert store.get_contribution(pin.id).support_count == 1


def test_support_count_never_drops_below_zero(store: Store) -> None:
    pin = make_contribution(store, make_consultation(store))
    now = datetime.now(UTC)
    store.set_support(pin.id, "a" * 64, True, now)
    store.set_support(pin.id, "b" * 64, True, now)
    # A denormalised count lower than the rows (e.g. edited by hand) must not go negative.
    assert store.set_support(pin.id, "a" * 64, False, now) == 1
    assert store.set_support(pin.id, "b" * 64, False, now) == 0
    assert store.supported_among("c" * 64, []) == set()


def test_replies_listed_by_status_in_conversation_order(store: Store) -> None:
    pin = make_contribution(store, make_consultation(store))
    now = datetime.now(UTC)
    first = make_reply(store, pin, created_at=now - timedelta(minutes=2))
    second = make_reply(store, pin, created_at=now - timedelta(minutes=1))
    pending = make_reply(store, pin, status=Status.PENDING, created_at=now)
    assert store.list_replies(pin.id, [Status.PUBLISHED]) == [first, second]
    listed = store.list_replies(pin.id, [Status.PUBLISHED, Status.PENDING])
    assert [r.id for r in listed] == [first.id, second.id, pending.id]
    assert store.get_reply(pending.id) == pending
    assert store.get_reply(str(uuid.uuid4())) is None


def test_reply_count_counts_published_replies_only(store: Store) -> None:
    consultation = make_consultation(store)
    pin = make_contribution(store, consultation)
    make_reply(store, pin)
    make_reply(store, pin)
    make_reply(store, pin, status=Status.PENDING)
    make_reply(store, pin, status=Status.HIDDEN)
    assert store.get_contribution(pin.id).reply_count == 2
    [listed] = store.list_contributions(ContributionQuery(consultation_id=consultation.id))
    assert listed.reply_count == 2


def test_contributions_and_replies_of_a_participant(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    old = make_contribution(
        store, consultation, participant_hash="a" * 64, created_at=now - timedelta(hours=1)
    )
    new = make_contribution(store, consultation, participant_hash="a" * 64, status=Status.PENDING)
    others = make_contribution(store, consultation, participant_hash="b" * 64)
    make_contribution(store, consultation)
    mine = make_reply(store, others, participant_hash="a" * 64, status=Status.PENDING)
    make_reply(store, others, participant_hash="b" * 64)
    assert [c.id for c in store.contributions_of_participant("a" * 64)] == [new.id, old.id]
    assert store.contributions_of_participant("a" * 64)[0].participant_hash == "a" * 64
    assert store.replies_of_participant("a" * 64) == [mine]
    assert store.contributions_of_participant("c" * 64) == []


def _report(
    target_kind: TargetKind, target_id: str, participant: str, network: str = "n" * 64
) -> Report:
    return Report(
        id=str(uuid.uuid4()),
        target_kind=target_kind,
        target_id=target_id,
        participant_hash=participant,
        reason=ReportReason.INSULT,
        note="Beleidigt Nachbarn.",
        created_at=datetime.now(UTC),
        network_hash=network,
    )


def test_reports_count_once_per_participant_and_target(store: Store) -> None:
    pin = make_contribution(store, make_consultation(store))
    reply = make_reply(store, pin)
    assert store.add_report(_report(TargetKind.CONTRIBUTION, pin.id, "a" * 64)) == ReportTally(1, 1)
    assert store.add_report(_report(TargetKind.CONTRIBUTION, pin.id, "a" * 64)) is None
    assert store.add_report(_report(TargetKind.CONTRIBUTION, pin.id, "b" * 64)) == ReportTally(2, 1)
    # A reply is a separate target, even with the same participant.
    assert store.add_report(_report(TargetKind.REPLY, reply.id, "a" * 64)) == ReportTally(1, 1)
    kept = store.list_reports(TargetKind.CONTRIBUTION, pin.id)
    assert [r.participant_hash for r in kept] == ["a" * 64, "b" * 64]
    assert kept[0].reason == ReportReason.INSULT and kept[0].note == "Beleidigt Nachbarn."
    assert all(r.resolved_at is None for r in kept)


def _hide_event(kind: TargetKind, target_id: str) -> AuditEvent:
    return AuditEvent(
        id=str(uuid.uuid4()),
        target_kind=kind,
        target_id=target_id,
        actor="system",
        action="auto_hide",
        changes={"status": ["published", "hidden"]},
        created_at=datetime.now(UTC),
    )


def test_status_change_is_audited_in_the_same_step(store: Store) -> None:
    consultation = make_consultation(store)
    pin = make_contribution(store, consultation)
    event = _hide_event(TargetKind.CONTRIBUTION, pin.id)
    assert store.set_status(TargetKind.CONTRIBUTION, pin.id, Status.HIDDEN, "reported", event)
    changed = store.get_contribution(pin.id)
    assert changed.status == Status.HIDDEN and changed.status_reason == "reported"
    assert changed.updated_at == event.created_at
    assert store.list_audit(TargetKind.CONTRIBUTION, pin.id) == [event]
    assert store.list_contributions(ContributionQuery(consultation_id=consultation.id)) == []


def test_status_change_with_expected_status_applies_once(store: Store) -> None:
    pin = make_contribution(store, make_consultation(store))
    reply = make_reply(store, pin)
    first = _hide_event(TargetKind.REPLY, reply.id)
    second = _hide_event(TargetKind.REPLY, reply.id)
    hide = (TargetKind.REPLY, reply.id, Status.HIDDEN, "reported")
    assert store.set_status(*hide, first, expected=Status.PUBLISHED)
    assert not store.set_status(*hide, second, expected=Status.PUBLISHED)
    assert store.get_reply(reply.id).status == Status.HIDDEN
    assert store.list_audit(TargetKind.REPLY, reply.id) == [first]
    assert store.list_audit(TargetKind.CONTRIBUTION, reply.id) == []
    missing = _hide_event(TargetKind.CONTRIBUTION, str(uuid.uuid4()))
    assert not store.set_status(
        TargetKind.CONTRIBUTION, missing.target_id, Status.HIDDEN, None, missing
    )


def _decision_and_answer(pin_id: str, at: datetime) -> tuple[AuditEvent, AuditEvent]:
    """A rejection and its answer at one moment, with ids that sort the other way round."""
    decision = replace(_hide_event(TargetKind.CONTRIBUTION, pin_id), id="f" * 36, created_at=at)
    answer = replace(
        decision, id="0" * 36, action="respond", changes={"response_status": [None, "done"]}
    )
    return decision, answer


def test_status_change_with_answer_writes_status_answer_reports_and_trail_at_once(
    store: Store,
) -> None:
    pin = make_contribution(store, make_consultation(store), status=Status.PENDING)
    store.add_report(_report(TargetKind.CONTRIBUTION, pin.id, "a" * 64))
    now = datetime.now(UTC)
    decision, respond = _decision_and_answer(pin.id, now)
    answer = Answer("Erledigt, die Bank steht.", ResponseStatus.DONE)
    assert store.set_status(
        TargetKind.CONTRIBUTION,
        pin.id,
        Status.REJECTED,
        "off_topic",
        decision,
        respond,
        expected=Status.PENDING,
        answer=answer,
        resolve_reports=True,
    )
    changed = store.get_contribution(pin.id)
    assert (changed.status, changed.status_reason) == (Status.REJECTED, "off_topic")
    assert (changed.planner_response, changed.response_status) == (
        "Erledigt, die Bank steht.",
        ResponseStatus.DONE,
    )
    assert changed.text == pin.text and changed.updated_at == now
    [report] = store.list_reports(TargetKind.CONTRIBUTION, pin.id)
    assert report.resolved_at == now
    assert store.list_audit(TargetKind.CONTRIBUTION, pin.id) == [decision, respond]


def test_status_change_with_answer_refused_as_a_whole_on_conflict(store: Store) -> None:
    pin = make_contribution(store, make_consultation(store), status=Status.PUBLISHED)
    store.add_report(_report(TargetKind.CONTRIBUTION, pin.id, "a" * 64))
    decision, respond = _decision_and_answer(pin.id, datetime.now(UTC))
    assert not store.set_status(
        TargetKind.CONTRIBUTION,
        pin.id,
        Status.REJECTED,
        "off_topic",
        decision,
        respond,
        expected=Status.PENDING,
        answer=Answer("Zu spät.", ResponseStatus.NOT_POSSIBLE),
        resolve_reports=True,
    )
    assert store.get_contribution(pin.id) == pin
    [report] = store.list_reports(TargetKind.CONTRIBUTION, pin.id)
    assert report.resolved_at is None
    assert store.list_audit(TargetKind.CONTRIBUTION, pin.id) == []


def test_audit_events_of_one_moment_come_back_in_the_order_written(store: Store) -> None:
    pin = make_contribution(store, make_consultation(store))
    now = datetime.now(UTC)
    # Ids descending, so an order by id would list them backwards.
    events = [
        replace(_event(pin.id, f"edit-{n}"), id=f"{9 - n}" * 36, created_at=now) for n in range(5)
    ]
    store.add_contributions([], events[:2])
    for event in events[2:]:
        store.update_contribution(pin, event)
    assert store.list_audit(TargetKind.CONTRIBUTION, pin.id) == events


def test_photo_round_trips_and_knows_its_contribution(store: Store) -> None:
    photo = Photo(
        id=str(uuid.uuid4()),
        participant_hash="a" * 64,
        width=1600,
        height=1200,
        created_at=datetime.now(UTC),
    )
    store.add_photo(photo)
    assert store.get_photo(photo.id) == photo
    assert store.get_photo(str(uuid.uuid4())) is None
    assert store.contribution_of_photo(photo.id) is None
    pin = make_contribution(store, make_consultation(store), photo_id=photo.id)
    assert store.contribution_of_photo(photo.id).id == pin.id


def test_a_photo_attaches_to_one_contribution_only(store: Store) -> None:
    photo = Photo(str(uuid.uuid4()), "a" * 64, 800, 600, datetime.now(UTC))
    store.add_photo(photo)
    consultation = make_consultation(store)
    first = make_contribution(store, consultation, photo_id=photo.id)
    with pytest.raises(PhotoTaken):
        make_contribution(store, consultation, photo_id=photo.id)
    assert store.contribution_of_photo(photo.id).id == first.id


def test_new_contribution_fields_round_trip(store: Store) -> None:
    consultation = make_consultation(store)
    photo = Photo(str(uuid.uuid4()), "a" * 64, 800, 600, datetime.now(UTC))
    store.add_photo(photo)
    now = datetime.now(UTC)
    made = Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry={"type": "Point", "coordinates": INSIDE},
        category="sitzen-aufenthalt",
        text="Die Bank am Markt ist kaputt.",
        status=Status.REJECTED,
        created_at=now,
        updated_at=now,
        participant_hash="a" * 64,
        photo_id=photo.id,
        photo_alt="Die kaputte Bank am Markt",
        status_reason="Doppelt",
        planner_response="Wir prüfen das.",
    )
    store.add_contribution(made)
    assert store.get_contribution(made.id) == made


# planners' side: accounts, sessions, sign-in failures, edits, erasure, queues


def _planner(username: str = "anna") -> Planner:
    return Planner(
        id=str(uuid.uuid4()),
        username=username,
        password_hash="$argon2id$hash",
        role=PlannerRole.MODERATOR,
        created_at=datetime.now(UTC),
    )


def _event(target_id: str, action: str = "edit", kind=TargetKind.CONTRIBUTION) -> AuditEvent:
    return AuditEvent(
        id=str(uuid.uuid4()),
        target_kind=kind,
        target_id=target_id,
        actor="anna",
        action=action,
        changes={},
        created_at=datetime.now(UTC),
    )


def test_planner_round_trips_and_lists_by_name(store: Store) -> None:
    bernd, anna = _planner("bernd"), _planner("anna")
    store.add_planner(bernd)
    store.add_planner(anna)
    assert store.get_planner("anna") == anna
    assert store.get_planner("carla") is None
    assert [p.username for p in store.list_planners()] == ["anna", "bernd"]


def test_session_is_found_until_it_expires_and_ends_with_a_new_password(store: Store) -> None:
    planner = _planner()
    store.add_planner(planner)
    now = datetime.now(UTC)
    session = PlannerSession("hash1", planner.id, "csrf", now, now + timedelta(hours=1), now)
    store.add_planner_session(session)
    assert store.get_planner_session("hash1", now) == (session, planner)
    assert store.get_planner_session("hash1", now + timedelta(hours=2)) is None
    assert store.get_planner_session("other", now) is None
    store.set_planner_password("anna", "$argon2id$new")
    assert store.get_planner_session("hash1", now) is None
    assert store.get_planner("anna").password_hash == "$argon2id$new"


def _session(planner: Planner, token_hash: str, now: datetime) -> PlannerSession:
    return PlannerSession(token_hash, planner.id, "c", now, now + timedelta(hours=1), now)


def test_deleted_session_is_gone(store: Store) -> None:
    planner = _planner()
    store.add_planner(planner)
    now = datetime.now(UTC)
    store.add_planner_session(_session(planner, "h", now))
    store.delete_planner_session("h")
    assert store.get_planner_session("h", now) is None


def test_touched_session_remembers_its_last_use(store: Store) -> None:
    planner = _planner()
    store.add_planner(planner)
    now = datetime.now(UTC)
    store.add_planner_session(_session(planner, "h", now))
    later = now + timedelta(minutes=5)
    store.touch_planner_session("h", later)
    session, _ = store.get_planner_session("h", later)
    assert session.last_seen_at == later and session.created_at == now


def test_all_sessions_of_a_planner_end_together(store: Store) -> None:
    anna, bernd = _planner("anna"), _planner("bernd")
    store.add_planner(anna)
    store.add_planner(bernd)
    now = datetime.now(UTC)
    for token_hash in ("a1", "a2"):
        store.add_planner_session(_session(anna, token_hash, now))
    store.add_planner_session(_session(bernd, "b1", now))
    assert store.delete_planner_sessions(anna.id) == 2
    assert store.get_planner_session("a1", now) is None
    assert store.get_planner_session("a2", now) is None
    assert store.get_planner_session("b1", now) is not None


def test_disabling_a_planner_ends_its_sessions_and_enabling_lets_it_in(store: Store) -> None:
    planner = _planner()
    store.add_planner(planner)
    now = datetime.now(UTC)
    store.add_planner_session(_session(planner, "h", now))
    assert store.set_planner_disabled("anna", True) is True
    assert store.get_planner("anna").disabled is True
    assert store.get_planner_session("h", now) is None
    assert store.set_planner_disabled("anna", False) is True
    assert store.get_planner("anna").disabled is False
    assert store.set_planner_disabled("niemand", True) is False


def test_signin_failures_count_per_network_and_for_the_username_from_it(store: Store) -> None:
    now = datetime.now(UTC)
    assert store.get_signin_failures("anna", "net-a") is None
    store.add_signin_failure("net-a", "anna", now)
    store.add_signin_failure("net-a", "anna", now)
    store.add_signin_failure("net-a", None, now)
    store.add_signin_failure("net-b", "anna", now)
    assert store.get_signin_failures("anna", "net-a") == SigninFailures("anna", "net-a", 2, now)
    assert store.get_signin_failures("", "net-a") == SigninFailures("", "net-a", 3, now)
    assert store.get_signin_failures("anna", "net-b").count == 1
    assert store.clear_signin_failures("anna", "net-a") == 1
    assert store.get_signin_failures("anna", "net-a") is None
    assert store.get_signin_failures("anna", "net-b") is not None
    assert store.get_signin_failures("", "net-a").count == 3
    assert store.clear_signin_failures("anna") == 1
    assert store.get_signin_failures("anna", "net-b") is None


def test_signin_failures_are_forgotten_after_a_day(store: Store) -> None:
    now = datetime.now(UTC)
    store.add_signin_failure("net-a", "anna", now - timedelta(days=2))
    store.add_signin_failure("net-a", "anna", now - timedelta(days=2))
    store.add_signin_failure("net-b", "bernd", now - timedelta(days=2))
    store.add_signin_failure("net-a", "anna", now)
    assert store.get_signin_failures("anna", "net-a").count == 1
    assert store.get_signin_failures("bernd", "net-b") is None
    store.add_signin_failure("net-c", None, now - timedelta(hours=3))
    assert store.forget_signin_failures(now - timedelta(hours=1)) == 1
    assert store.get_signin_failures("", "net-c") is None
    assert store.get_signin_failures("anna", "net-a") is not None


def test_only_old_unattached_photos_are_deleted_in_bounded_batches(store: Store) -> None:
    now = datetime.now(UTC)
    consultation = make_consultation(store)
    old = now - timedelta(days=2)
    orphans = [Photo(str(uuid.uuid4()), "p" * 64, 10, 10, old) for _ in range(3)]
    attached = Photo(str(uuid.uuid4()), "p" * 64, 10, 10, old)
    young = Photo(str(uuid.uuid4()), "p" * 64, 10, 10, now)
    for photo in [*orphans, attached, young]:
        store.add_photo(photo)
    make_contribution(store, consultation, photo_id=attached.id)
    before = now - timedelta(days=1)
    first = store.delete_orphan_photos(before, 2)
    assert len(first) == 2
    second = store.delete_orphan_photos(before, 2)
    assert sorted(first + second) == sorted(p.id for p in orphans)
    assert store.delete_orphan_photos(before, 2) == []
    assert store.get_photo(attached.id) is not None
    assert store.get_photo(young.id) is not None


def test_update_consultation_keeps_slug_and_id(store: Store) -> None:
    made = make_consultation(store, status=ConsultationStatus.DRAFT)
    changed = replace(made, title={"de": "Neu"}, status=ConsultationStatus.OPEN)
    store.update_consultation(changed)
    assert store.get_consultation("test") == changed


def test_added_contributions_come_with_their_audit_events(store: Store) -> None:
    consultation = make_consultation(store)
    pin = make_contribution(store, consultation)
    copy = replace(pin, id=str(uuid.uuid4()), source=Source.PAPER)
    store.add_contributions([copy], [_event(copy.id, "entered")])
    assert store.get_contribution(copy.id).source == Source.PAPER
    assert [e.action for e in store.list_audit(TargetKind.CONTRIBUTION, copy.id)] == ["entered"]


def test_update_contribution_moves_the_pin_in_the_spatial_index(store: Store) -> None:
    consultation = make_consultation(store)
    pin = make_contribution(store, consultation, coordinates=[7.7090, 51.5778])
    moved = replace(
        pin,
        geometry={"type": "Point", "coordinates": [7.7170, 51.5778]},
        text="Neu",
        planner_response="Wird gemacht.",
        response_status=ResponseStatus.PLANNED,
    )
    store.update_contribution(moved, _event(pin.id))
    loaded = store.get_contribution(pin.id)
    assert (loaded.text, loaded.planner_response) == ("Neu", "Wird gemacht.")
    assert loaded.response_status == ResponseStatus.PLANNED
    west = ContributionQuery(consultation.id, bbox=BBox(7.7080, 51.57, 7.7120, 51.58))
    east = ContributionQuery(consultation.id, bbox=BBox(7.7160, 51.57, 7.7180, 51.58))
    assert store.list_contributions(west) == []
    assert [c.id for c in store.list_contributions(east)] == [pin.id]
    assert len(store.list_audit(TargetKind.CONTRIBUTION, pin.id)) == 1


def test_erasure_removes_name_email_and_photo_row(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    store.add_photo(Photo("photo-1", "someone", 10, 10, now))
    pin = replace(
        make_contribution(store, consultation, contact_email="erika@example.org"),
        id=str(uuid.uuid4()),
        author_name="Erika",
        photo_id="photo-1",
    )
    store.add_contribution(pin)
    assert store.erase_personal_data(pin.id, _event(pin.id, "erased")) == "photo-1"
    loaded = store.get_contribution(pin.id)
    assert (loaded.author_name, loaded.contact_email, loaded.photo_id) == (None, None, None)
    assert loaded.text == pin.text
    assert store.get_photo("photo-1") is None
    [event] = store.list_audit(TargetKind.CONTRIBUTION, pin.id)
    assert event.action == "erased"


def test_moderation_queue_filters_and_counts_open_reports(store: Store) -> None:
    consultation = make_consultation(store)
    other = make_consultation(store, slug="other")
    now = datetime.now(UTC)
    pending = make_contribution(store, consultation, status=Status.PENDING)
    reported = make_contribution(store, consultation, created_at=now - timedelta(hours=1))
    make_contribution(store, other, status=Status.PENDING)
    for who, network in (("a", "x"), ("b", "x"), ("c", "y")):
        store.add_report(_report(TargetKind.CONTRIBUTION, reported.id, who * 64, network * 64))
    mine = ModerationQuery(consultation.id)
    assert [(c.id, n) for c, n in store.moderation_queue(mine).items] == [
        (pending.id, ReportTally())
    ]
    everywhere = ModerationQuery(None)
    assert store.moderation_queue(everywhere).total == 2
    flagged = ModerationQuery(consultation.id, statuses=(), reported_only=True)
    queue = store.moderation_queue(flagged).items
    assert [(c.id, n) for c, n in queue] == [(reported.id, ReportTally(3, 2))]
    hide = _hide_event(TargetKind.CONTRIBUTION, reported.id)
    assert store.set_status(
        TargetKind.CONTRIBUTION, reported.id, Status.HIDDEN, "insult", hide, resolve_reports=True
    )
    assert store.moderation_queue(flagged).items == []
    resolved = store.list_reports(TargetKind.CONTRIBUTION, reported.id)
    assert [r.resolved_at for r in resolved] == [hide.created_at] * 3


def test_reply_queue_filters_by_consultation_and_status(store: Store) -> None:
    consultation = make_consultation(store)
    other = make_consultation(store, slug="other")
    reply = make_reply(store, make_contribution(store, consultation), status=Status.PENDING)
    make_reply(store, make_contribution(store, other), status=Status.PENDING)
    make_reply(store, make_contribution(store, consultation), status=Status.PUBLISHED)
    queue = store.reply_queue(ModerationQuery(consultation.id))
    assert [(r.id, n) for r, n in queue] == [(reply.id, ReportTally())]
    assert queue[0][0] == reply


def test_listing_filters_by_created_range_from_inclusive_to_exclusive(store: Store) -> None:
    consultation = make_consultation(store)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    before = make_contribution(store, consultation, created_at=start - timedelta(seconds=1))
    first = make_contribution(store, consultation, created_at=start)
    last = make_contribution(store, consultation, created_at=start + timedelta(days=1))
    query = ContributionQuery(
        consultation_id=consultation.id,
        created_from=start,
        created_to=start + timedelta(days=1),
    )
    assert [c.id for c in store.list_contributions(query)] == [first.id]
    assert store.count_contributions(query) == 1
    since = ContributionQuery(consultation_id=consultation.id, created_from=start)
    assert [c.id for c in store.list_contributions(since)] == [last.id, first.id]
    until = ContributionQuery(consultation_id=consultation.id, created_to=start)
    assert [c.id for c in store.list_contributions(until)] == [before.id]


def test_streamed_listing_matches_the_list_in_order(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    for minutes in range(5):
        make_contribution(store, consultation, created_at=now - timedelta(minutes=minutes % 3))
    make_contribution(store, consultation, status=Status.PENDING)
    query = ContributionQuery(consultation_id=consultation.id)
    listed = store.list_contributions(query)
    assert [c.id for c in store.iter_contributions(query)] == [c.id for c in listed]
    assert len(listed) == 5


def test_contribution_columns_are_the_listing_with_only_the_fields_asked_for(
    store: Store,
) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    made = [
        make_contribution(store, consultation, created_at=now - timedelta(minutes=m))
        for m in range(5)
    ]
    make_reply(store, made[1])
    query = ContributionQuery(consultation_id=consultation.id)
    fields = ("id", "reply_count", "min_lon", "text")
    batches = list(store.contribution_columns(query, fields, batch=2))
    assert [len(b["id"]) for b in batches] == [2, 2, 1]
    assert all(list(b) == list(fields) for b in batches)
    listed = store.list_contributions(query)
    assert [i for b in batches for i in b["id"]] == [c.id for c in listed]
    assert [n for b in batches for n in b["reply_count"]] == [c.reply_count for c in listed]
    assert [x for b in batches for x in b["min_lon"]] == [
        c.geometry["coordinates"][0] for c in listed
    ]


def test_replies_of_contributions_follow_the_contribution_filters(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    parking = make_contribution(store, consultation, category="parken-verkehr", created_at=now)
    seating = make_contribution(store, consultation, created_at=now - timedelta(hours=1))
    on_parking = make_reply(store, parking)
    make_reply(store, parking, status=Status.HIDDEN)
    on_seating = make_reply(store, seating)
    other = make_contribution(store, make_consultation(store, slug="other"))
    make_reply(store, other)
    everything = ContributionQuery(consultation_id=consultation.id)
    replies = store.replies_of_contributions(everything, [Status.PUBLISHED])
    assert [r.id for r in replies] == [on_parking.id, on_seating.id]
    only_parking = ContributionQuery(consultation_id=consultation.id, categories=["parken-verkehr"])
    assert [r.id for r in store.replies_of_contributions(only_parking, [Status.PUBLISHED])] == [
        on_parking.id
    ]


def test_open_data_flag_round_trips(store: Store) -> None:
    make_consultation(store, slug="offen")
    make_consultation(store, slug="zu", open_data=False)
    assert store.get_consultation("offen").open_data is True
    assert store.get_consultation("zu").open_data is False


# abuse protection


def test_server_secret_is_stored_once_and_shared(store: Store, store_url: str) -> None:
    now = datetime.now(UTC)
    assert store.server_secret("server", "erster", now) == "erster"
    assert store.server_secret("server", "zweiter", now) == "erster"
    other_worker = open_store(store_url)
    try:
        assert other_worker.server_secret("server", "dritter", now) == "erster"
    finally:
        other_worker.close()


def test_rate_counter_counts_per_key_and_window_and_forgets_old_windows(store: Store) -> None:
    hour = timedelta(hours=1)
    start = datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert [store.count_hit("pin:n:x", start, start + hour) for _ in range(3)] == [1, 2, 3]
    assert store.count_hit("pin:n:y", start, start + hour) == 1
    later = start + hour
    assert store.count_hit("pin:n:x", later, later + hour) == 1
    # The first window has expired: counting in it again starts afresh.
    assert store.count_hit("pin:n:x", start, start + hour) == 1


def test_concurrent_rate_counter_hits_all_count(store: Store, store_url: str) -> None:
    start = datetime(2026, 3, 1, 10, tzinfo=UTC)
    workers = [open_store(store_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            counts = list(
                pool.map(
                    lambda i: workers[i % 4].count_hit("k", start, start + timedelta(hours=1)),
                    range(40),
                )
            )
    finally:
        for worker in workers:
            worker.close()
    assert sorted(counts) == list(range(1, 41))


RESIDENT = "p" * 64


def _answer(
    key: str,
    response: dict[str, str],
    participant_hash: str = RESIDENT,
    now: datetime | None = None,
    lifetime: timedelta = timedelta(hours=24),
) -> IdempotencyRecord:
    """The record a send with `key` keeps: its request hash, status 201 and first answer."""
    now = now or datetime.now(UTC)
    sent = IdempotencyKey(participant_hash, key, "h-" + key, 201, now, now + lifetime)
    return sent.answered(response)


def _texts(store: Store, consultation_id: str) -> list[str]:
    every = ContributionQuery(consultation_id=consultation_id, statuses=list(Status))
    return sorted(c.text for c in store.list_contributions(every))


def test_a_pin_and_its_idempotency_record_are_stored_together_or_not_at_all(
    store: Store,
) -> None:
    consultation = make_consultation(store)
    photo = Photo(str(uuid.uuid4()), RESIDENT, 800, 600, datetime.now(UTC))
    store.add_photo(photo)
    answer = _answer("k1", {"text": "Mit Foto"})
    pin = make_contribution(
        store,
        consultation,
        text="Mit Foto",
        photo_id=photo.id,
        participant_hash=RESIDENT,
        idempotency=answer,
    )
    assert store.get_contribution(pin.id) == pin
    assert store.get_idempotency_record(RESIDENT, "k1", datetime.now(UTC)) == answer
    # The pin is refused (its photo belongs to another), so its key is not kept either.
    with pytest.raises(PhotoTaken):
        make_contribution(
            store,
            consultation,
            text="Anderer",
            photo_id=photo.id,
            idempotency=_answer("k2", {"text": "Anderer"}),
        )
    assert store.get_idempotency_record(RESIDENT, "k2", datetime.now(UTC)) is None
    assert _texts(store, consultation.id) == ["Mit Foto"]


def test_a_participants_key_stores_one_pin_and_hands_back_the_first_record(
    store: Store,
) -> None:
    consultation = make_consultation(store)
    photo = Photo(str(uuid.uuid4()), RESIDENT, 800, 600, datetime.now(UTC))
    store.add_photo(photo)
    first = _answer("k1", {"text": "Erster"})
    make_contribution(store, consultation, text="Erster", photo_id=photo.id, idempotency=first)
    # The same send again, photo and all: the key, not the photo, is what refuses it.
    with pytest.raises(IdempotencyKeyTaken) as taken:
        make_contribution(
            store,
            consultation,
            text="Zweiter",
            photo_id=photo.id,
            idempotency=_answer("k1", {"text": "Zweiter"}),
        )
    assert taken.value.earlier == first
    assert _texts(store, consultation.id) == ["Erster"]
    # Keys belong to a participant: another one's same key is its own.
    theirs = _answer("k1", {"text": "Dritter"}, participant_hash="q" * 64)
    make_contribution(store, consultation, text="Dritter", idempotency=theirs)
    assert _texts(store, consultation.id) == ["Dritter", "Erster"]
    assert store.get_idempotency_record("q" * 64, "k1", datetime.now(UTC)) == theirs


def test_a_reply_and_its_idempotency_record_are_stored_together_once(store: Store) -> None:
    pin = make_contribution(store, make_consultation(store))
    first = _answer("r1", {"text": "Da stimme ich zu."})
    reply = make_reply(store, pin, idempotency=first)
    assert store.get_reply(reply.id) == reply
    assert store.get_idempotency_record(RESIDENT, "r1", datetime.now(UTC)) == first
    with pytest.raises(IdempotencyKeyTaken) as taken:
        make_reply(store, pin, text="Noch einmal", idempotency=_answer("r1", {"text": "x"}))
    assert taken.value.earlier == first
    assert [r.text for r in store.list_replies(pin.id, list(Status))] == ["Da stimme ich zu."]


def test_idempotency_records_expire_and_their_key_is_free_again(store: Store) -> None:
    consultation = make_consultation(store)
    sent = datetime(2026, 3, 1, 10, tzinfo=UTC)
    first = _answer("k1", {"text": "Erster"}, now=sent, lifetime=timedelta(hours=1))
    make_contribution(store, consultation, text="Erster", idempotency=first)
    assert store.get_idempotency_record(RESIDENT, "k1", sent + timedelta(minutes=59)) == first
    assert store.get_idempotency_record(RESIDENT, "k1", sent + timedelta(hours=1)) is None
    # A send with the key after that runs afresh; the expired record makes way for its own.
    later = _answer("k1", {"text": "Später"}, now=sent + timedelta(hours=2))
    make_contribution(store, consultation, text="Später", idempotency=later)
    assert store.get_idempotency_record(RESIDENT, "k1", sent + timedelta(hours=2)) == later
    assert _texts(store, consultation.id) == ["Erster", "Später"]


def test_concurrent_sends_with_one_key_store_one_pin(store: Store, store_url: str) -> None:
    consultation = make_consultation(store)
    workers = [open_store(store_url) for _ in range(4)]

    def send(attempt: int) -> IdempotencyRecord:
        """One copy of the send; the record it stored or the one stored before it."""
        text = f"Versuch {attempt}"
        answer = _answer("k1", {"text": text})
        try:
            make_contribution(workers[attempt % 4], consultation, text=text, idempotency=answer)
        except IdempotencyKeyTaken as taken:
            return taken.earlier
        return answer

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            records = list(pool.map(send, range(16)))
    finally:
        for worker in workers:
            worker.close()
    texts = _texts(store, consultation.id)
    assert len(texts) == 1
    assert {r.response["text"] for r in records} == set(texts)


def test_sends_at_once_through_one_store_each_get_their_own_answer(store: Store) -> None:
    """Sends of one worker's threads may share a commit (SQLite): a refused one refuses
    only itself, every other is stored, and each thread hears its own outcome."""
    consultation = make_consultation(store)
    start = datetime.now(UTC)
    allowance = Hit("pin:p:eine", start, start + timedelta(hours=1), 3, "rate_limited")

    def send(attempt: int) -> str:
        text = f"Versuch {attempt:02d}"
        pin = make_contribution(store, consultation, text=text, status=Status.PENDING)
        extra = replace(pin, id=str(uuid.uuid4()), text=f"Zusatz {attempt:02d}")
        key = "k-gleich" if attempt % 4 == 0 else f"k-{attempt}"
        hits = [allowance] if attempt % 4 == 1 else []
        try:
            store.add_contribution(extra, _answer(key, {"text": extra.text}), hits)
        except IdempotencyKeyTaken:
            return "taken"
        except OverLimit:
            return "over"
        return "stored"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(send, range(24)))
    assert outcomes.count("taken") == 5  # six sends with one key: the first is stored
    assert outcomes.count("over") == 3  # six sends against an allowance of three
    texts = _texts(store, consultation.id)
    assert [t for t in texts if t.startswith("Versuch")] == [f"Versuch {i:02d}" for i in range(24)]
    assert len([t for t in texts if t.startswith("Zusatz")]) == outcomes.count("stored") == 16
    assert store.count_hit("pin:p:eine", start, start + timedelta(hours=1)) == 7


def test_pause_is_stored_with_its_audit_event_and_survives_edits(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    event = AuditEvent(
        str(uuid.uuid4()), TargetKind.CONSULTATION, consultation.id, "anna", "pause", {}, now
    )
    store.set_pause(consultation.id, now, "Wegen Spam kurz angehalten.", event)
    paused = store.get_consultation(consultation.slug)
    assert paused.paused_at == now and paused.pause_message == "Wegen Spam kurz angehalten."
    assert [e.action for e in store.list_audit(TargetKind.CONSULTATION, consultation.id)] == [
        "pause"
    ]
    store.update_consultation(replace(consultation, title={"de": "Neu"}))
    assert store.get_consultation(consultation.slug).paused_at == now


def test_knows_participants_by_what_they_sent(store: Store) -> None:
    consultation = make_consultation(store)
    pin = make_contribution(store, consultation, participant_hash="a" * 64)
    make_reply(store, pin, participant_hash="b" * 64)
    store.set_support(pin.id, "c" * 64, True, datetime.now(UTC))
    store.add_report(_report(TargetKind.CONTRIBUTION, pin.id, "d" * 64))
    assert all(store.knows_participant(who * 64) for who in "abcd")
    assert not store.knows_participant("e" * 64)


def test_erasure_also_forgets_the_answer_kept_for_a_retry(store: Store) -> None:
    consultation = make_consultation(store)
    answer = _answer("k-erase", {"text": "Ich heiße Erika Muster", "author_name": "Erika"})
    pin = make_contribution(
        store, consultation, participant_hash=RESIDENT, idempotency=answer, text="Erika"
    )
    event = AuditEvent(
        str(uuid.uuid4()), TargetKind.CONTRIBUTION, pin.id, "anna", "erase", {}, datetime.now(UTC)
    )
    store.erase_personal_data(pin.id, event)
    assert store.get_idempotency_record(RESIDENT, "k-erase", datetime.now(UTC)) is None


def test_expired_counters_and_answers_are_forgotten_on_cleanup(store: Store) -> None:
    now = datetime.now(UTC)
    hour = timedelta(hours=1)
    store.count_hit("pin:neu", now, now + hour)
    store.count_hit("pin:alt", now - 2 * hour, now - hour)  # a window no request came after
    old = _answer("k-alt", {"text": "alt"}, now=now - 2 * hour, lifetime=hour)
    make_contribution(store, make_consultation(store), participant_hash=RESIDENT, idempotency=old)
    assert store.forget_expired(now) == 2
    assert store.count_hit("pin:neu", now, now + hour) == 2
    assert store.forget_expired(now) == 0


# themes for planners

L_AREA = {
    "type": "Polygon",
    "coordinates": [
        [
            [7.7080, 51.5750],
            [7.7130, 51.5750],
            [7.7130, 51.5800],
            [7.7100, 51.5800],
            [7.7100, 51.5775],
            [7.7080, 51.5775],
            [7.7080, 51.5750],
        ]
    ],
}
"""An L-shaped area: its bounding box holds points the polygon does not."""


def test_theme_texts_are_the_published_pins_newest_first(store: Store) -> None:
    consultation = make_consultation(store)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    old = make_contribution(store, consultation, text="alt", created_at=start)
    new = make_contribution(
        store, consultation, text="neu", category="parken-verkehr", created_at=start + timedelta(1)
    )
    make_contribution(store, consultation, text="offen", status=Status.PENDING)
    other = make_consultation(store, slug="andere")
    make_contribution(store, other, text="woanders")
    found = store.theme_texts(ThemeTextQuery(consultation.id))
    assert [(t.id, t.text, t.category, t.language) for t in found.texts] == [
        (new.id, "neu", "parken-verkehr", "de"),
        (old.id, "alt", "sitzen-aufenthalt", "de"),
    ]
    assert found.texts[0].point == tuple(INSIDE)
    assert found.matched == 2
    by_topic = store.theme_texts(ThemeTextQuery(consultation.id, categories=["parken-verkehr"]))
    assert [t.text for t in by_topic.texts] == ["neu"] and by_topic.matched == 1
    by_date = store.theme_texts(ThemeTextQuery(consultation.id, created_to=start + timedelta(1)))
    assert [t.text for t in by_date.texts] == ["alt"] and by_date.matched == 1


def test_theme_texts_limit_keeps_the_newest_and_counts_all(store: Store) -> None:
    consultation = make_consultation(store)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    for day in range(5):
        make_contribution(store, consultation, text=f"Tag {day}", created_at=start + timedelta(day))
    found = store.theme_texts(ThemeTextQuery(consultation.id, limit=2))
    assert [t.text for t in found.texts] == ["Tag 4", "Tag 3"]
    assert found.matched == 5
    # The pins are all at INSIDE, which lies in the L's upper arm.
    in_area = store.theme_texts(ThemeTextQuery(consultation.id, area=L_AREA, limit=2))
    assert [t.text for t in in_area.texts] == ["Tag 4", "Tag 3"] and in_area.matched == 5


def test_theme_texts_in_an_area_are_those_inside_the_polygon_not_its_box(store: Store) -> None:
    consultation = make_consultation(store)
    inside = make_contribution(store, consultation, [7.7090, 51.5760], text="im L")
    on_edge = make_contribution(store, consultation, [7.7080, 51.5760], text="am Rand")
    make_contribution(store, consultation, [7.7090, 51.5790], text="in der Ecke der Box")
    make_contribution(store, consultation, [7.7170, 51.5790], text="weit weg")
    found = store.theme_texts(ThemeTextQuery(consultation.id, area=L_AREA))
    assert sorted(t.id for t in found.texts) == sorted([inside.id, on_edge.id])
    assert found.matched == 2
    capped = store.theme_texts(ThemeTextQuery(consultation.id, area=L_AREA, limit=1))
    assert len(capped.texts) == 1 and capped.matched == 2


# OGC API – Features: keyset pages and planner API tokens (issue 13)


def test_keyset_pages_walk_every_pin_once_in_time_order(store: Store) -> None:
    consultation = make_consultation(store)
    start = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    # Two pins share each moment: the id breaks the tie, so no page boundary loses one.
    made = [
        make_contribution(store, consultation, created_at=start + timedelta(seconds=i // 2))
        for i in range(7)
    ]
    make_contribution(store, consultation, status=Status.PENDING)
    query = ContributionQuery(consultation_id=consultation.id)
    seen, after, pages = [], None, 0
    while True:
        page = store.page_contributions(query, 3, after=after)
        pages += 1
        assert page.more_before == (after is not None)
        seen += page.contributions
        if not page.more_after:
            break
        after = Keyset(page.contributions[-1].created_at, page.contributions[-1].id)
    expected = sorted(made, key=lambda c: (c.created_at, c.id))
    assert [c.id for c in seen] == [c.id for c in expected]
    assert pages == 3


def test_keyset_page_before_a_place_gives_the_rows_just_before_it(store: Store) -> None:
    consultation = make_consultation(store)
    start = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    made = [
        make_contribution(store, consultation, created_at=start + timedelta(minutes=i))
        for i in range(5)
    ]
    query = ContributionQuery(consultation_id=consultation.id)
    page = store.page_contributions(query, 2, before=Keyset(made[4].created_at, made[4].id))
    assert [c.id for c in page.contributions] == [made[2].id, made[3].id]
    assert page.more_before and page.more_after
    first = store.page_contributions(query, 2, before=Keyset(made[2].created_at, made[2].id))
    assert [c.id for c in first.contributions] == [made[0].id, made[1].id]
    assert not first.more_before


def test_keyset_pages_keep_the_filters_of_the_query(store: Store) -> None:
    consultation = make_consultation(store)
    make_contribution(store, consultation, category="parken-verkehr")
    wanted = make_contribution(store, consultation, coordinates=[7.7100, 51.5760])
    query = ContributionQuery(
        consultation_id=consultation.id,
        categories=("sitzen-aufenthalt",),
        bbox=BBox(7.709, 51.575, 7.711, 51.577),
    )
    page = store.page_contributions(query, 10)
    assert [c.id for c in page.contributions] == [wanted.id]
    assert store.count_contributions(query) == 1


def _token(planner: Planner, name: str = "QGIS Büro") -> ApiToken:
    return ApiToken(str(uuid.uuid4()), planner.id, name, uuid.uuid4().hex, datetime.now(UTC))


def test_api_token_names_its_planner_until_revoked(store: Store) -> None:
    planner = make_planner(store)
    token = _token(planner)
    store.add_api_token(token)
    found = store.get_api_token(token.token_hash)
    assert found is not None and found[0] == token and found[1].username == planner.username
    assert store.revoke_api_token(token.id, datetime.now(UTC))
    assert store.get_api_token(token.token_hash) is None
    assert not store.revoke_api_token(token.id, datetime.now(UTC))
    [(listed, owner)] = store.list_api_tokens()
    assert listed.revoked_at is not None and owner.id == planner.id


def test_api_token_of_a_disabled_planner_is_refused(store: Store) -> None:
    planner = make_planner(store)
    token = _token(planner)
    store.add_api_token(token)
    store.set_planner_disabled(planner.username, True)
    assert store.get_api_token(token.token_hash) is None
    store.set_planner_disabled(planner.username, False)
    assert store.get_api_token(token.token_hash) is not None


# on the spot (issue 15): nearby suggestions, posters


def _offset(metres_east: float, metres_north: float) -> list[float]:
    """A point this far from INSIDE (small distances, close enough to geodesic)."""
    lon, lat = INSIDE
    return [lon + metres_east / 69_230.0, lat + metres_north / 111_250.0]


def test_nearby_finds_published_pins_of_the_topic_nearest_first(store: Store) -> None:
    consultation = make_consultation(store)
    far = make_contribution(store, consultation, coordinates=_offset(0, 40))
    near = make_contribution(store, consultation, coordinates=_offset(10, 0))
    make_contribution(store, consultation, coordinates=_offset(0, 80))
    make_contribution(store, consultation, coordinates=_offset(5, 0), category="parken-verkehr")
    make_contribution(store, consultation, coordinates=_offset(3, 0), status=Status.PENDING)
    make_contribution(store, consultation, coordinates=_offset(2, 0), status=Status.HIDDEN)
    other = make_consultation(store, slug="other")
    make_contribution(store, other, coordinates=INSIDE)
    lon, lat = INSIDE
    found = store.nearby_contributions(consultation.id, "sitzen-aufenthalt", lon, lat, 50, 3)
    assert [n.contribution.id for n in found] == [near.id, far.id]
    assert found[0].distance_m == pytest.approx(10, abs=0.5)
    assert found[1].distance_m == pytest.approx(40, abs=1)


def test_nearby_returns_at_most_the_limit(store: Store) -> None:
    consultation = make_consultation(store)
    for metres in (1, 2, 3, 4, 5):
        make_contribution(store, consultation, coordinates=_offset(metres, 0))
    lon, lat = INSIDE
    found = store.nearby_contributions(consultation.id, "sitzen-aufenthalt", lon, lat, 50, 3)
    assert [round(n.distance_m) for n in found] == [1, 2, 3]


def test_poster_round_trips_and_counts_its_pins(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    poster = Poster("abcdefgh", consultation.id, 7.71, 51.57, PosterSize.A3, "tr", now, "anna")
    store.add_poster(poster)
    assert store.get_poster("abcdefgh") == poster
    assert store.get_poster("zzzzzzzz") is None
    assert store.list_posters(consultation.id) == [poster]
    pin = make_contribution(store, consultation)
    store.add_contribution(
        replace(pin, id=str(uuid.uuid4()), source=Source.POSTER, poster_key=poster.key)
    )
    assert store.get_contribution(pin.id).poster_key is None
    assert store.pins_per_poster(consultation.id) == {"abcdefgh": 1}


T = TypeVar("T")


# Several workers at once: what SQLite's single writer serialised, a server database must too.


def _at_once(store_url: str, calls: int, call: Callable[[Store, int], T]) -> list[T]:
    """`call(store, i)` for i in range(calls), from four workers with a store each, at once."""
    workers = [open_store(store_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(lambda i: call(workers[i % 4], i), range(calls)))
    finally:
        for worker in workers:
            worker.close()


def test_concurrent_take_backs_of_one_support_count_once(store: Store, store_url: str) -> None:
    pin = make_contribution(store, make_consultation(store))
    now = datetime.now(UTC)
    for participant in "abcdefgh":
        store.set_support(pin.id, participant * 64, True, now)
    _at_once(store_url, 12, lambda s, _: s.set_support(pin.id, "a" * 64, False, now))
    _at_once(store_url, 12, lambda s, _: s.set_support(pin.id, "z" * 64, True, now))
    assert store.get_contribution(pin.id).support_count == 8
    assert store.supported_among("a" * 64, [pin.id]) == set()
    assert store.supported_among("z" * 64, [pin.id]) == {pin.id}


def test_concurrent_signin_failures_all_count(store: Store, store_url: str) -> None:
    now = datetime.now(UTC)
    _at_once(store_url, 24, lambda s, _: s.add_signin_failure("net-a", "anna", now))
    assert store.get_signin_failures("anna", "net-a").count == 24
    assert store.get_signin_failures("", "net-a").count == 24


def test_concurrent_reports_each_count_the_ones_before(store: Store, store_url: str) -> None:
    pin = make_contribution(store, make_consultation(store))
    tallies = _at_once(
        store_url,
        16,
        lambda s, i: s.add_report(_report(TargetKind.CONTRIBUTION, pin.id, f"{i:064d}")),
    )
    # Exactly one report sees each number, so exactly one reaches a hiding threshold.
    assert sorted(t.reports for t in tallies if t) == list(range(1, 17))


def test_concurrent_first_starts_agree_on_one_server_secret(store_url: str) -> None:
    now = datetime.now(UTC)
    secrets = _at_once(store_url, 8, lambda s, i: s.server_secret("server", f"candidate-{i}", now))
    assert len(set(secrets)) == 1


# The public map of many pins (issue 14)


def _scattered(store: Store, consultation, n: int, seed: int = 7) -> list[Contribution]:
    """`n` pins at random points of the test perimeter, in both categories and four statuses."""
    rng = random.Random(seed)
    pins = [
        Contribution(
            id=str(uuid.uuid4()),
            consultation_id=consultation.id,
            geometry={
                "type": "Point",
                "coordinates": [rng.uniform(7.7078, 7.7178), rng.uniform(51.5748, 51.5808)],
            },
            category=rng.choice(["sitzen-aufenthalt", "parken-verkehr"]),
            text=f"Pin {i}: " + "ä" * rng.randrange(120),
            status=rng.choice(
                [Status.PUBLISHED, Status.PUBLISHED, Status.PUBLISHED, Status.PENDING]
            ),
            support_count=rng.randrange(30),
            created_at=datetime(2026, 5, 1, tzinfo=UTC) + timedelta(minutes=i),
            updated_at=datetime(2026, 5, 1, tzinfo=UTC),
        )
        for i in range(n)
    ]
    store.add_contributions(pins, [])
    return pins


def test_clusters_match_a_brute_force_count_of_the_same_pins(store: Store) -> None:
    consultation = make_consultation(store)
    pins = _scattered(store, consultation, 400)
    make_contribution(store, make_consultation(store, slug="nebenan"))  # another consultation
    grid = Grid(0.0013, 0.0008)
    bbox = BBox(7.709, 51.575, 7.716, 51.580)
    expected: dict[tuple[int, int, str], int] = {}
    for pin in pins:
        lon, lat = pin.geometry["coordinates"]
        inside = bbox.min_lon <= lon <= bbox.max_lon and bbox.min_lat <= lat <= bbox.max_lat
        if pin.status == Status.PUBLISHED and inside:
            key = (
                math.floor((lon + 180.0) / grid.size_lon),
                math.floor((lat + 90.0) / grid.size_lat),
                pin.category,
            )
            expected[key] = expected.get(key, 0) + 1
    cells = store.map_clusters(ContributionQuery(consultation.id, bbox=bbox), grid)
    assert {(c.cell_x, c.cell_y, c.category): c.count for c in cells} == expected
    assert sum(expected.values()) > 100
    for cell in cells:
        assert bbox.min_lon <= cell.min_lon <= cell.lon <= cell.max_lon <= bbox.max_lon
        assert bbox.min_lat <= cell.min_lat <= cell.lat <= cell.max_lat <= bbox.max_lat
    only = store.map_clusters(
        ContributionQuery(consultation.id, bbox=bbox, categories=["parken-verkehr"]), grid
    )
    assert {(c.cell_x, c.cell_y, c.category): c.count for c in only} == {
        k: v for k, v in expected.items() if k[2] == "parken-verkehr"
    }


def test_map_pins_are_the_published_placed_pins_in_view_lean(store: Store) -> None:
    consultation = make_consultation(store)
    pins = _scattered(store, consultation, 200)
    unplaced = make_contribution(store, consultation)
    store.update_contribution(replace(unplaced, geometry=None), _edit_event(unplaced.id))
    bbox = BBox(7.709, 51.575, 7.713, 51.578)
    got = store.map_pins(ContributionQuery(consultation.id, bbox=bbox), limit=1000)
    by_id = {p.id: p for p in pins}
    expected = {
        p.id
        for p in pins
        if p.status == Status.PUBLISHED
        and bbox.min_lon <= p.geometry["coordinates"][0] <= bbox.max_lon
        and bbox.min_lat <= p.geometry["coordinates"][1] <= bbox.max_lat
    }
    assert {p.id for p in got} == expected
    for pin in got:
        made = by_id[pin.id]
        assert [pin.lon, pin.lat] == made.geometry["coordinates"]
        assert (pin.category, pin.support_count) == (made.category, made.support_count)
        assert pin.excerpt == made.text[:81]
    assert len(store.map_pins(ContributionQuery(consultation.id, bbox=bbox), limit=3)) == 3


def _edit_event(target_id: str) -> AuditEvent:
    return AuditEvent(
        id=str(uuid.uuid4()),
        target_kind=TargetKind.CONTRIBUTION,
        target_id=target_id,
        actor="test",
        action="edit",
        changes={},
        created_at=datetime.now(UTC),
    )


def test_every_change_to_public_pins_raises_the_change_version(store: Store) -> None:
    consultation = make_consultation(store)
    other = make_consultation(store, slug="nebenan")
    seen = [store.change_version(consultation.id)]

    def raised() -> bool:
        seen.append(store.change_version(consultation.id))
        return seen[-1] > seen[-2]

    pin = make_contribution(store, consultation)
    assert raised()
    store.set_support(pin.id, "teilnehmer", True, datetime.now(UTC))
    assert raised()
    reply = make_reply(store, pin)
    assert raised()
    store.set_status(TargetKind.REPLY, reply.id, Status.HIDDEN, None, _edit_event(reply.id))
    assert raised()
    store.set_status(TargetKind.CONTRIBUTION, pin.id, Status.HIDDEN, None, _edit_event(pin.id))
    assert raised()
    store.update_contribution(replace(pin, text="Neu"), _edit_event(pin.id))
    assert raised()
    store.erase_personal_data(pin.id, _edit_event(pin.id))
    assert raised()
    store.add_contributions([replace(pin, id=str(uuid.uuid4()))], [])
    assert raised()
    make_contribution(store, other)
    assert not raised()


def test_view_page_orders_pages_and_counts_pins_without_a_place(store: Store) -> None:
    consultation = make_consultation(store)
    _scattered(store, consultation, 120)
    unplaced = make_contribution(store, consultation, text="Ohne Ort")
    store.update_contribution(replace(unplaced, geometry=None), _edit_event(unplaced.id))
    bbox = BBox(7.709, 51.575, 7.716, 51.580)
    query = ContributionQuery(consultation.id, bbox=bbox, limit=25)
    in_view = store.map_pins(ContributionQuery(consultation.id, bbox=bbox), limit=1000)
    seen: list[Contribution] = []
    total = None
    for offset in range(0, 200, 25):
        page, total = store.view_page(replace(query, offset=offset), ListOrder.SUPPORTED, True)
        seen.extend(page)
    assert total == len(in_view) + 1
    assert len(seen) == total == len({c.id for c in seen})
    assert unplaced.id in {c.id for c in seen}
    keys = [(-c.support_count, -c.created_at.timestamp()) for c in seen]
    assert keys == sorted(keys)
    newest, placed_total = store.view_page(query, ListOrder.NEWEST, False)
    assert placed_total == len(in_view)
    assert [c.created_at for c in newest] == sorted((c.created_at for c in newest), reverse=True)


def _queued(store: Store, consultation, **fields) -> Contribution:
    """A pin with any fields set (source, author, times), stored."""
    now = fields.pop("created_at", datetime.now(UTC))
    pin = Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry={"type": "Point", "coordinates": INSIDE},
        category=fields.pop("category", "sitzen-aufenthalt"),
        text=fields.pop("text", "Eine Bank im Schatten wäre schön."),
        status=fields.pop("status", Status.PENDING),
        created_at=now,
        updated_at=now,
        **fields,
    )
    store.add_contribution(pin)
    return pin


def test_queue_pages_visit_every_pin_once_while_pins_arrive(store: Store) -> None:
    consultation = make_consultation(store)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    # Pairs share a moment, so the id has to break the tie between pages.
    there = {
        _queued(store, consultation, created_at=start + timedelta(minutes=n // 2)).id
        for n in range(23)
    }
    seen: list[str] = []
    added = 0
    query = ModerationQuery(consultation.id, limit=5)
    while True:
        page = store.moderation_queue(query)
        seen += [c.id for c, _ in page.items]
        # A newer pin, and one at the very moment of the last item shown: its random id puts
        # it before or after that item, so how many pages the walk takes varies.
        _queued(store, consultation)
        added += 1
        if page.items:
            moment = page.items[-1][0].created_at
            _queued(store, consultation, created_at=moment)
            added += 1
        if page.next is None:
            break
        query = replace(query, after=page.next)
    assert len(seen) == len(set(seen))
    assert there <= set(seen)
    total = store.moderation_queue(ModerationQuery(consultation.id, limit=1)).total
    assert total == len(there) + added


def test_queue_is_newest_first_and_counts_every_match(store: Store) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    pins = [_queued(store, consultation, created_at=now - timedelta(hours=h)) for h in range(3)]
    page = store.moderation_queue(ModerationQuery(consultation.id, limit=2))
    assert [c.id for c, _ in page.items] == [pins[0].id, pins[1].id]
    assert page.total == 3
    last = store.moderation_queue(ModerationQuery(consultation.id, limit=2, after=page.next))
    assert [c.id for c, _ in last.items] == [pins[2].id]
    assert (last.total, last.next) == (3, None)


def test_queue_filters_by_category_source_date_and_reports(store: Store) -> None:
    consultation = make_consultation(store)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    office = _queued(store, consultation, source=Source.OFFICE, created_at=start)
    parking = _queued(
        store, consultation, category="parken-verkehr", created_at=start + timedelta(days=1)
    )
    late = _queued(store, consultation, created_at=start + timedelta(days=2))
    store.add_report(_report(TargetKind.CONTRIBUTION, late.id, "a" * 64))

    def ids(**fields) -> list[str]:
        page = store.moderation_queue(ModerationQuery(consultation.id, **fields))
        assert page.total == len(page.items)
        return [c.id for c, _ in page.items]

    assert ids(sources=(Source.OFFICE,)) == [office.id]
    assert ids(sources=(Source.ONLINE,)) == [late.id, parking.id]
    assert ids(categories=("parken-verkehr",)) == [parking.id]
    window = {"created_from": start + timedelta(days=1), "created_to": start + timedelta(days=2)}
    assert ids(**window) == [parking.id]
    assert ids(reported_only=True) == [late.id]
    assert ids(reported_only=True, categories=("parken-verkehr",)) == []


def test_queue_search_finds_german_words_with_umlauts(store: Store) -> None:
    consultation = make_consultation(store)
    benches = _queued(store, consultation, text="Mehr Bänke vor der Bücherei!")
    street = _queued(store, consultation, text="Die Straße ist nachts zu dunkel.")
    named = _queued(store, consultation, text="Ein Spielplatz fehlt.", author_name="Jörg Öztürk")
    _queued(store, consultation, text="Radweg bis zum Bahnhof durchziehen.")

    def found(text: str) -> set[str]:
        query = ModerationQuery(consultation.id, text=text)
        return {c.id for c, _ in store.moderation_queue(query).items}

    assert found("Bänke") == {benches.id}
    assert found("bänke") == {benches.id}
    assert found("BÄNKE bücherei") == {benches.id}
    assert found("Straße") == {street.id}
    assert found("Jörg") == {named.id}
    assert found("Bänke Straße") == set()
    assert found("Kirche") == set()
    # Punctuation is not query syntax: it separates words.
    assert found('"Bänke" * (') == {benches.id}


def test_queue_search_follows_edits_and_erasure(store: Store) -> None:
    consultation = make_consultation(store)
    pin = _queued(store, consultation, text="Eine Bank am Teich.", author_name="Jörg")
    edited = replace(pin, text="Ein Brunnen am Teich.")
    store.update_contribution(edited, _hide_event(TargetKind.CONTRIBUTION, pin.id))

    def found(text: str) -> list[str]:
        query = ModerationQuery(consultation.id, text=text)
        return [c.id for c, _ in store.moderation_queue(query).items]

    assert found("Bank") == []
    assert found("Brunnen") == [pin.id]
    store.erase_personal_data(pin.id, _hide_event(TargetKind.CONTRIBUTION, pin.id))
    assert found("Jörg") == []


def test_queue_search_counts_the_matches_of_its_consultation_and_statuses(store: Store) -> None:
    consultation = make_consultation(store)
    other = make_consultation(store, slug="andere")
    pin = _queued(store, consultation, text="Mehr Bänke am Markt.")
    shown = _queued(store, consultation, text="Bänke fehlen.", status=Status.PUBLISHED)
    fountain = _queued(store, consultation, text="Ein Brunnen am Markt.")
    _queued(store, other, text="Bänke auch hier.")

    def searched(*statuses: Status, text: str = "Bänke") -> tuple[int, set[str]]:
        page = store.moderation_queue(ModerationQuery(consultation.id, statuses, text=text))
        return page.total, {c.id for c, _ in page.items}

    assert searched(Status.PENDING) == (1, {pin.id})
    assert searched(Status.PENDING, Status.PUBLISHED) == (2, {pin.id, shown.id})
    assert searched(Status.PENDING, text="Markt") == (2, {pin.id, fountain.id})
    # A decision moves the pin between the statuses' searches.
    event = _hide_event(TargetKind.CONTRIBUTION, pin.id)
    assert store.set_status(TargetKind.CONTRIBUTION, pin.id, Status.PUBLISHED, None, event)
    assert searched(Status.PENDING) == (0, set())
    assert searched(Status.PUBLISHED) == (2, {pin.id, shown.id})
    everywhere = store.moderation_queue(ModerationQuery(None, (Status.PENDING,), text="Bänke"))
    assert everywhere.total == 1


def test_a_pin_over_its_rate_allowance_is_counted_but_not_stored(store: Store) -> None:
    consultation = make_consultation(store)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    hour = timedelta(hours=1)
    allowance = Hit("pin:n:x", start, start + hour, 1, "rate_limited")
    first = replace(make_contribution(store, consultation), id=str(uuid.uuid4()))
    store.add_contribution(first, None, [allowance])
    second = replace(first, id=str(uuid.uuid4()))
    with pytest.raises(OverLimit) as refused:
        store.add_contribution(second, None, [allowance])
    assert refused.value.hit == allowance
    assert store.get_contribution(second.id) is None
    assert store.get_contribution(first.id) is not None
    # Both sends were counted: the next one in the window is the third.
    assert store.count_hit("pin:n:x", start, start + hour) == 3
