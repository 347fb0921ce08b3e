"""Schemathesis drives /ogc from the service's own OpenAPI 3.0 document (/ogc/api): no request
gets a server error, and every answer is one that document declares."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi

from geoapp.api.ogc import openapi
from geoapp.app import create_app
from geoapp.config import Settings
from tests.api.test_schemathesis import CHECKS, CONFIG

BASE = f"http://{asgi.HOST}/ogc"
SCHEMA = schemathesis.openapi.from_dict(openapi.document(BASE, Settings(), "de"), config=CONFIG)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(Settings(data_dir=tmp_path, seed_demo=True))
    with TestClient(app):
        yield app


@SCHEMA.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_ogc_api_answers_every_request_as_documented(
    case: schemathesis.Case, demo: FastAPI
) -> None:
    parameters = case.path_parameters or {}
    # Half of the runs name a collection that exists, the rest whatever was generated.
    if "collectionId" in parameters and len(str(parameters["collectionId"])) % 2:
        parameters["collectionId"] = "ortsmitte"
    case.call_and_validate(session=asgi.get_client(demo), checks=CHECKS, base_url=BASE)
