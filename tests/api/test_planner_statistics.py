"""Statistics and the report map as planners fetch them over HTTP."""

import re
from datetime import UTC, datetime, timedelta

from geoapp.domain import PlannerRole, Status
from tests.factories import INSIDE, make_consultation, make_contribution, sign_in_as


def test_statistics_count_by_category_status_source_and_week(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    monday = datetime(2026, 11, 16, 9, tzinfo=UTC)
    make_contribution(app_store, consultation, created_at=monday)
    make_contribution(app_store, consultation, created_at=monday + timedelta(days=1))
    make_contribution(
        app_store, consultation, category="parken-verkehr", created_at=monday + timedelta(days=7)
    )
    make_contribution(
        app_store, consultation, status=Status.PENDING, created_at=monday + timedelta(days=8)
    )
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.get("/api/planner/consultations/test/statistics")
    assert response.status_code == 200, response.text
    stats = response.json()
    assert stats["total"] == 4
    assert stats["by_category"] == {"sitzen-aufenthalt": 3, "parken-verkehr": 1}
    assert stats["by_status"] == {"pending": 1, "published": 3, "rejected": 0, "hidden": 0}
    assert stats["by_source"]["online"] == 4 and stats["by_source"]["paper"] == 0
    assert stats["by_week"] == [
        {"period": "2026-W47", "count": 2, "cumulative": 2},
        {"period": "2026-W48", "count": 2, "cumulative": 4},
    ]
    assert [d["period"] for d in stats["by_day"]] == [
        "2026-11-16",
        "2026-11-17",
        "2026-11-23",
        "2026-11-24",
    ]


def test_most_supported_are_the_top_ten_published(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    made = [make_contribution(app_store, consultation, text=f"Pin {i}") for i in range(12)]
    for count, pin in enumerate(made):
        for n in range(count):
            app_store.set_support(pin.id, f"p{n}", True, datetime.now(UTC))
    hidden = make_contribution(app_store, consultation, status=Status.HIDDEN)
    for n in range(50):
        app_store.set_support(hidden.id, f"q{n}", True, datetime.now(UTC))
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    top = app_client.get("/api/planner/consultations/test/statistics").json()["most_supported"]
    assert [t["text"] for t in top] == [f"Pin {i}" for i in range(11, 1, -1)]
    assert top[0]["support_count"] == 11


def test_report_html_is_a_download_without_external_scripts(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    make_contribution(app_store, consultation, text="<script>alert(1)</script> Bank")
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.get("/api/planner/consultations/test/report.html")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert 'filename="bericht-test.html"' in response.headers["content-disposition"]
    document = response.text
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?:", document)
    assert "<script>alert(1)</script>" not in document
    assert "Test test" in document  # the consultation's title in the legend
    assert f"{INSIDE[1]}" in document


def test_statistics_of_an_unknown_consultation_is_404(app_client, app_store) -> None:
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.get("/api/planner/consultations/nix/statistics")
    assert response.status_code == 404
