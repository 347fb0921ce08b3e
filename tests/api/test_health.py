"""/healthz says the process answers; /readyz says the database answers at the newest schema,
and is what a load balancer asks before it sends a process requests."""

from pathlib import Path

from alembic import command
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.store import Store
from geoapp.store.sql.core import alembic_config

PROBLEM_JSON = "application/problem+json"


def head(store: Store) -> str:
    return store.schema_state().head


def migrate(store: Store, revision: str) -> None:
    """Move the store's schema up or down to `revision`, as Alembic's command line would."""
    config = alembic_config()
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        config.attributes["connection"] = conn
        if revision == "head":
            command.upgrade(config, revision)
        else:
            command.downgrade(config, revision)


def test_healthz_answers_without_asking_the_database(app_client: TestClient):
    response = app_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"


def test_readyz_names_the_schema_revision_when_migrated(app_client: TestClient, app_store: Store):
    response = app_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "schema_revision": head(app_store)}
    assert response.headers["cache-control"] == "no-store"


def test_readyz_refuses_while_the_schema_is_behind(app_client: TestClient, app_store: Store):
    newest = head(app_store)
    migrate(app_store, "-1")
    behind = app_store.schema_state().current
    assert behind is not None and behind != newest
    try:
        response = app_client.get("/readyz", headers={"Accept-Language": "en"})
    finally:
        migrate(app_store, "head")  # PostgreSQL's test database serves the next test too
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["code"] == "not_ready_schema"
    assert f"migration {behind}" in problem["detail"]
    assert newest in problem["detail"] and "geoapp migrate" in problem["detail"]
    # The process itself is fine: a supervisor must not restart it for this.
    assert app_client.get("/healthz").status_code == 200


def test_readyz_refuses_when_the_database_cannot_be_opened(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, seed_demo=False)
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        database = Path(settings.effective_database_url.removeprefix("sqlite:///"))
        store.engine.dispose()
        database.rename(database.with_suffix(".moved"))
        database.mkdir()  # where the file was, nothing SQLite can open

        response = client.get("/readyz", headers={"Accept-Language": "de"})
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["code"] == "not_ready_database"
        assert "nicht erreichbar" in response.json()["detail"]
        assert client.get("/healthz").status_code == 200


def test_health_checks_are_not_rate_limited(tmp_path: Path):
    every_limit_one = {
        name: 1
        for name in Settings.model_fields
        if name.startswith("rate_") and name != "rate_window_seconds"
    }
    settings = Settings(data_dir=tmp_path, seed_demo=False, **every_limit_one)
    with TestClient(create_app(settings)) as client:
        assert client.post("/api/participant").status_code in (200, 201)
        client.cookies.clear()  # a second new participant from the same network: one too many
        assert client.post("/api/participant").status_code == 429
        answers = [client.get(path).status_code for path in ("/healthz", "/readyz") * 10]
    assert set(answers) == {200}


def test_openapi_declares_both_checks_and_the_503_problem(app_client: TestClient):
    paths = app_client.get("/openapi.json").json()["paths"]
    assert set(paths["/healthz"]["get"]["responses"]) == {"200"}
    readyz = paths["/readyz"]["get"]["responses"]
    assert PROBLEM_JSON in readyz["503"]["content"]
    assert readyz["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Readiness"
    }
