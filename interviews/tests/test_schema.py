"""The OpenAPI schema: valid without warnings, and served publicly with its Swagger UI."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    for path in (
        "/api/v1/candidates/{id}/restore/",
        "/api/v1/resumes/{id}/download/",
        "/api/v1/interviews/{id}/start/",
        "/api/v1/interviews/{id}/abandon/",
        "/api/v1/interviews/{interview_pk}/messages/",
        "/api/v1/interviews/{interview_pk}/session/",
        "/api/v1/assessments/",
    ):
        assert path in paths
    upload = paths["/api/v1/resumes/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload


def test_schema_and_docs_are_public(anon_client):
    schema = anon_client.get(reverse("schema"))
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = anon_client.get(reverse("swagger-ui"))
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


# --- the schema says what the server does (issue 12, items 10 and 15) ----------------------------


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def component(document, name: str) -> dict:
    return document["components"]["schemas"][name]


def property_schema(document, schema_name: str, field: str) -> dict:
    """The schema of `field`, with `allOf: [$ref]` and `oneOf` wrappers resolved."""
    schema = component(document, schema_name)["properties"][field]
    if "allOf" in schema:
        schema = {**schema, **component(document, schema["allOf"][0]["$ref"].rsplit("/", 1)[1])}
    return schema


@pytest.mark.parametrize(
    ("schema_name", "field", "accepted", "refused"),
    [
        (
            "AssessmentRequest",
            "overall_score",
            ["0", "7", "85.5", "99.99", "100", "100.0", "100.00"],
            ["", "-", ".", "-1", "-0.01", "100.01", "101", "1000", "85.555", "1e2", " 85"],
        ),
        (
            "AssessmentRequest",
            "integrity_score",
            ["0", "100.00", "42.1"],
            ["", "-5", "100.5"],
        ),
        (
            "InterviewMessageRequest",
            "cost_usd",
            ["0", "0.0001", "999.9999", "1000", "1000.0000"],
            ["", "-0.01", "1000.0001", "0.00001", "12345"],
        ),
        ("Interview", "cost_usd", ["0.0000", "123456.7890"], ["", "-1.0000"]),
    ],
)
def test_decimal_fields_document_the_values_the_server_accepts(
    document, schema_name, field, accepted, refused
):
    schema = property_schema(document, schema_name, field)
    assert (schema["type"], schema["format"]) == ("string", "decimal")
    pattern = re.compile(schema["pattern"])
    assert [value for value in accepted if not pattern.search(value)] == []
    assert [value for value in refused if pattern.search(value)] == []


def test_history_from_status_is_a_nullable_status(document):
    schema = property_schema(document, "InterviewStatusChange", "from_status")
    assert schema.get("nullable") is True
    assert "" not in schema["enum"]


def test_resume_download_documents_the_stored_content_types(document):
    content = document["paths"]["/api/v1/resumes/{id}/download/"]["get"]["responses"]["200"][
        "content"
    ]
    assert set(content) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/plain",
    }


def test_user_updates_do_not_offer_a_password_and_creation_requires_one(document):
    user_path = document["paths"]["/api/v1/users/{id}/"]
    for method in ("put", "patch"):
        body = user_path[method]["requestBody"]["content"]["application/json"]["schema"]
        name = body["$ref"].rsplit("/", 1)[1]
        assert "password" not in component(document, name)["properties"], method
    create = document["paths"]["/api/v1/users/"]["post"]["requestBody"]["content"]
    name = create["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "password" in component(document, name)["required"]
