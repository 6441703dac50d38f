"""Property-based fuzzing of the whole API against its own OpenAPI schema (schemathesis).

In process (WSGI), once per role: every operation, generated inputs, and the checks that no
answer is a server error and every answer conforms to the schema (status code, content type,
body). It runs on PostgreSQL, the production database (where, for one, NUL characters in
JSON make a difference). Examples per operation: SCHEMATHESIS_MAX_EXAMPLES (default 3; raise it
for a longer run, e.g. `SCHEMATHESIS_MAX_EXAMPLES=200 make test-postgres PYTEST_ARGS="-k fuzz"`).
"""

import json
import os

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory
from assessments.tests.factories import AssessmentFactory
from interviews.tests.factories import CandidateFactory, InterviewFactory, ResumeFactory

pytestmark = pytest.mark.postgres

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _load_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(document, cls=DjangoJSONEncoder)))
    # Django's WSGI handler, not config.wsgi: that one refuses to load without collected
    # static files, which the tests replace by plain static storage (conftest.py).
    schema.app = get_wsgi_application()
    return schema


schema = _load_schema()


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose handler closes the
    database connection of the test's transaction; detach it as Django's test Client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(db, settings, keep_test_connection):
    """Some rows for the generated requests to find, and a token per role."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.LOGIN_THROTTLE_RATE = None
    candidate_user = UserFactory(role=User.Role.CANDIDATE)
    own = CandidateFactory(user=candidate_user)
    ResumeFactory(candidate=own)
    InterviewFactory(candidate=own)
    InterviewFactory(candidate=own, in_progress=True)
    AssessmentFactory(interview__candidate=own)
    AssessmentFactory()
    users = {
        "admin": UserFactory(role=User.Role.ADMIN),
        "recruiter": UserFactory(role=User.Role.RECRUITER),
        "engine": UserFactory(role=User.Role.ENGINE),
        "candidate": candidate_user,
    }
    return {role: services.token_issue(user=user).raw for role, user in users.items()}


def _run(case, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    case.call_and_validate(headers=headers, checks=CHECKS)


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_admin(case, fuzz_world):
    _run(case, fuzz_world["admin"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_recruiter(case, fuzz_world):
    _run(case, fuzz_world["recruiter"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_engine(case, fuzz_world):
    _run(case, fuzz_world["engine"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_candidate(case, fuzz_world):
    _run(case, fuzz_world["candidate"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_anonymously(case, fuzz_world):
    _run(case, None)
