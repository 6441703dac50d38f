"""The API's contract across endpoints: one error shape, strict paging parameters, cursors."""

import base64
import uuid

import pytest
from django.urls import reverse

from assessments.tests.factories import AssessmentFactory
from interviews.tests.factories import CandidateFactory, InterviewFactory, ResumeFactory

pytestmark = pytest.mark.django_db

# Every paginated list, by URL name.
LISTS = ["user-list", "candidate-list", "resume-list", "interview-list", "assessment-list"]
# The lists that search (by name or email).
SEARCHABLE = ["user-list", "candidate-list", "interview-list"]


def assert_error_shape(response) -> dict:
    """An error body is `{"detail": str, "code": str}` or a 400 object of field errors."""
    body = response.json()
    assert isinstance(body, dict), body
    if "detail" in body:
        assert isinstance(body["detail"], str) and isinstance(body.get("code"), str), body
    else:
        assert response.status_code == 400, body
        assert body and all(
            isinstance(messages, list) and all(isinstance(m, str) for m in messages)
            for messages in body.values()
        ), body
    return body


def cursor(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


@pytest.fixture
def world(admin_user):
    candidate = CandidateFactory()
    ResumeFactory(candidate=candidate)
    InterviewFactory(candidate=candidate)
    AssessmentFactory(interview__candidate=candidate)
    return candidate


# --- one error shape (issue 12, item 13) ------------------------------------------------------


@pytest.mark.parametrize("name", SEARCHABLE)
def test_nul_character_in_search_is_a_field_error(admin_api, world, name):
    response = admin_api.get(reverse(name), {"search": "ada\x00"})

    assert response.status_code == 400
    assert assert_error_shape(response) == {"search": ["Null characters are not allowed."]}


def test_search_is_not_offered_where_nothing_is_searched(admin_api, world):
    # Assessments have no search fields: the parameter is undocumented and ignored.
    response = admin_api.get(reverse("assessment-list"), {"search": "ada\x00"})

    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    "name", ["user-detail", "candidate-detail", "resume-detail", "interview-detail"]
)
def test_missing_row_is_a_404_with_code_not_found(admin_api, name):
    response = admin_api.get(reverse(name, args=[uuid.uuid4()]))

    assert response.status_code == 404
    assert assert_error_shape(response)["code"] == "not_found"


def test_missing_parent_of_a_nested_view_is_a_404_with_code(admin_api):
    url = reverse("interview-message-list", kwargs={"interview_pk": uuid.uuid4()})

    response = admin_api.get(url)

    assert response.status_code == 404
    assert assert_error_shape(response)["code"] == "not_found"


def test_a_bare_list_of_errors_gets_the_error_shape(admin_api, rf):
    # A validation error raised outside a serializer (no field to name) is a list in DRF.
    from rest_framework.exceptions import ValidationError

    from core.api.exceptions import exception_handler

    response = exception_handler(ValidationError("Nothing to name."), {})

    assert response.status_code == 400
    assert response.data == {"detail": "Nothing to name.", "code": "invalid"}


def test_request_django_refuses_before_the_view_gets_the_json_error_shape(admin_api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    too_many = admin_api.get(reverse("candidate-list"), {f"f{n}": "x" for n in range(20)})
    assert too_many.status_code == 400
    assert assert_error_shape(too_many)["code"] == "bad_request"

    settings.ALLOWED_HOSTS = ["api.example.com"]
    wrong_host = admin_api.get(reverse("candidate-list"), HTTP_HOST="elsewhere.example.com")
    assert wrong_host.status_code == 400
    assert assert_error_shape(wrong_host)["code"] == "bad_request"


# --- strict paging parameters (issue 12, item 18) ----------------------------------------------


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "+2", " 2"])
def test_malformed_page_size_is_a_400(admin_api, world, name, value):
    response = admin_api.get(reverse(name), {"page_size": value})

    assert response.status_code == 400
    assert set(assert_error_shape(response)) == {"page_size"}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "+2", " 2"])
def test_malformed_page_is_a_400(admin_api, world, name, value):
    response = admin_api.get(reverse(name), {"page": value})

    assert response.status_code == 400
    assert set(assert_error_shape(response)) == {"page"}


@pytest.mark.parametrize("name", LISTS)
def test_page_past_the_end_is_a_404_and_page_size_over_100_is_capped(admin_api, world, name):
    beyond = admin_api.get(reverse(name), {"page": 2})
    assert beyond.status_code == 404
    assert assert_error_shape(beyond)["code"] == "not_found"

    capped = admin_api.get(reverse(name), {"page_size": 1000, "page": 1})
    assert capped.status_code == 200
    assert capped.json()["count"] >= 1


def test_empty_paging_parameters_count_as_not_given(admin_api, world, transcript_url):
    # As for the filters: an HTML form (the browsable API's) sends empty fields.
    page = admin_api.get(reverse("candidate-list"), {"page": "", "page_size": ""})
    assert page.status_code == 200
    assert len(page.json()["results"]) == page.json()["count"] == 2

    assert admin_api.get(transcript_url, {"cursor": "", "page_size": ""}).status_code == 200


@pytest.fixture
def transcript_url():
    interview = InterviewFactory(in_progress=True)
    return reverse("interview-message-list", kwargs={"interview_pk": interview.pk})


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "+2", " 2"])
def test_malformed_transcript_page_size_is_a_400(admin_api, transcript_url, value):
    response = admin_api.get(transcript_url, {"page_size": value})

    assert response.status_code == 400
    assert set(assert_error_shape(response)) == {"page_size"}


# --- cursors (issue 12, item 5) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        cursor(b"p=abc"),  # a position that is not a sequence number
        cursor(b"p=\x00"),  # a NUL
        cursor(b"p="),  # an empty position
        cursor(b"p=-5"),  # below every sequence number
        cursor(b"p=1.5"),
        cursor(b"p=99999999999999999999999"),  # beyond the database's integer
        cursor(b"o=-1"),  # a negative offset
        cursor(b"o=abc"),
        cursor(b"o=99999999999999999999999"),  # a huge offset
        cursor(b"r=2"),  # a reverse flag that is neither 0 nor 1
        cursor(b"r=x"),
        cursor("p=é".encode()),  # not ASCII
        "not base64!",
        "cD1hYmM",  # truncated base64 (of p=abc)
        cursor(b"p=1&p=2"),  # a key twice
        cursor(b"x=1"),  # a key DRF never writes
        cursor(b"garbage"),
        "€",
    ],
)
def test_malformed_cursor_is_a_400_invalid_cursor(admin_api, transcript_url, value):
    response = admin_api.get(transcript_url, {"cursor": value})

    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid cursor", "code": "invalid_cursor"}


def test_cursors_the_server_wrote_still_work(engine_api, transcript_url):
    for number in range(5):
        engine_api.post(
            transcript_url, {"message_type": "ai_question", "content_text": f"q{number}"}
        )

    first = engine_api.get(transcript_url, {"page_size": 2}).json()
    second = engine_api.get(first["next"]).json()
    back = engine_api.get(second["previous"]).json()

    assert [row["sequence_number"] for row in second["results"]] == [3, 4]
    assert [row["sequence_number"] for row in back["results"]] == [1, 2]
    # An offset the server would write (o=N) within the cutoff is still accepted.
    assert engine_api.get(transcript_url, {"cursor": cursor(b"o=1&p=2")}).status_code == 200


# --- decimal patterns (issue 12, item 10) ------------------------------------------------------


def test_decimal_pattern_writes_power_of_ten_bounds_and_refuses_others():
    import re

    from core.api.schema import decimal_pattern

    signed = re.compile(
        decimal_pattern(decimal_places=2, max_whole_digits=3, min_value=None, max_value=None)
    )
    assert all(signed.search(value) for value in ["-999.99", "0", "12.5"])
    assert not any(signed.search(value) for value in ["", "-", "1000", "1.234", "1,5"])

    unit = re.compile(
        decimal_pattern(decimal_places=3, max_whole_digits=1, min_value=0, max_value=1)
    )
    assert all(unit.search(value) for value in ["0", "0.999", "1", "1.000"])
    assert not any(unit.search(value) for value in ["1.001", "2", "-0.5"])

    # Bounds a pattern cannot say exactly: None, and the schema generation warns.
    assert decimal_pattern(decimal_places=2, max_whole_digits=3, min_value=0, max_value=50) is None
    assert decimal_pattern(decimal_places=2, max_whole_digits=3, min_value=1, max_value=100) is None
