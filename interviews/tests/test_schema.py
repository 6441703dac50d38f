"""The OpenAPI schema: valid without warnings, and served publicly with its Swagger UI."""

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
