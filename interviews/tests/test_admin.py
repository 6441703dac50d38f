"""The interview-domain admin: pages, filters, soft delete, services behind every write,
the interview change page (session, transcript, history), recruiters, and query counts."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from assessments.tests.factories import AssessmentFactory
from interviews import services
from interviews.admin import InterviewAdmin
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Resume,
)
from interviews.tests.factories import CandidateFactory, InterviewFactory, ResumeFactory

pytestmark = pytest.mark.django_db

MODELS = [Candidate, Resume, Interview, InterviewSession, InterviewMessage, InterviewStatusChange]
# Written only by services as a side effect of the interview workflow: no add in the admin.
SERVICE_WRITTEN = [InterviewSession, InterviewMessage, InterviewStatusChange]
AI_QUESTION = InterviewMessage.MessageType.AI_QUESTION
ANSWER = InterviewMessage.MessageType.CANDIDATE_RESPONSE


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def browser_for(user: User) -> Client:
    """A browser logged into the admin (our User has no username, so no admin_client)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_admin() -> User:
    return UserFactory(role=User.Role.ADMIN, email="boss@example.com")


@pytest.fixture
def admin_site(staff_admin) -> Client:
    return browser_for(staff_admin)


@pytest.fixture
def recruiter_site() -> Client:
    return browser_for(UserFactory(role=User.Role.RECRUITER))


def full_interview(*, by: User | None = None, candidate: Candidate | None = None) -> Interview:
    """A completed, assessed interview made through the services: every row type exists."""
    candidate = candidate or CandidateFactory()
    resume = ResumeFactory(candidate=candidate)
    interview = services.interview_create(
        candidate=candidate, role_type=Interview.RoleType.PYTHON, by=by, resume=resume
    )
    interview = services.interview_start(interview=interview, by=by)
    services.message_append(interview=interview, message_type=AI_QUESTION, content_text="Why?")
    services.message_append(interview=interview, message_type=ANSWER, content_text="Because.")
    interview = services.interview_complete(interview=interview, by=by)
    AssessmentFactory(interview=interview)
    return interview


def row_of(model, interview: Interview):
    """The row of `model` that belongs to `interview`."""
    if model is Candidate:
        return interview.candidate
    if model is Interview:
        return interview
    if model is Resume:
        return interview.resume
    return model.objects.filter(interview=interview).first()


def listed_pks(response) -> set:
    return {row.pk for row in response.context["cl"].result_list}


def run_action(client: Client, model, action: str, rows, query: str = "", **extra):
    return client.post(
        admin_url(model, "changelist") + query,
        {"action": action, ACTION_CHECKBOX_NAME: [str(row.pk) for row in rows], **extra},
        follow=True,
    )


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- every page renders -----------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_renders(admin_site, staff_admin, model):
    interview = full_interview(by=staff_admin)
    response = admin_site.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert row_of(model, interview).pk in listed_pks(response)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_search_renders(admin_site, model):
    interview = full_interview()
    response = admin_site.get(admin_url(model, "changelist"), {"q": interview.candidate.email})
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_change_page_renders(admin_site, staff_admin, model):
    row = row_of(model, full_interview(by=staff_admin))
    response = admin_site.get(admin_url(model, "change", row.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", [Candidate, Resume, Interview], ids=lambda model: model.__name__)
def test_add_page_renders(admin_site, model):
    assert admin_site.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", SERVICE_WRITTEN, ids=lambda model: model.__name__)
def test_service_written_rows_cannot_be_added_changed_or_deleted(admin_site, model):
    row = row_of(model, full_interview())
    assert admin_site.get(admin_url(model, "add")).status_code == 403
    assert admin_site.get(admin_url(model, "delete", row.pk)).status_code == 403
    page = admin_site.get(admin_url(model, "change", row.pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False


FILTERS = [
    (Candidate, {"deleted": "no"}),
    (Candidate, {"deleted": "yes"}),
    (Candidate, {"deleted": "all"}),
    (Candidate, {"status__exact": "active"}),
    (Candidate, {"experience_level__exact": "senior"}),
    (Resume, {"parsing_status__exact": "pending"}),
    (Resume, {"content_type__exact": "application/pdf"}),
    (Interview, {"status__exact": "completed"}),
    (Interview, {"role_type__exact": "python"}),
    (Interview, {"assessed": "yes"}),
    (Interview, {"assessed": "no"}),
    (InterviewSession, {"current_difficulty_level__exact": "warmup"}),
    (InterviewSession, {"interview__status__exact": "completed"}),
    (InterviewMessage, {"message_type__exact": "ai_question"}),
    (InterviewStatusChange, {"to_status__exact": "completed"}),
    (InterviewStatusChange, {"from_status__exact": "in_progress"}),
]


@pytest.mark.parametrize(
    ("model", "params"), FILTERS, ids=[f"{m.__name__}-{p}" for m, p in FILTERS]
)
def test_changelist_filter_renders(admin_site, model, params):
    full_interview()
    response = admin_site.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200


def test_interview_filters_select_the_right_rows(admin_site):
    assessed = full_interview()
    scheduled = InterviewFactory()
    listed = admin_site.get(admin_url(Interview, "changelist"), {"assessed": "no"})
    assert listed_pks(listed) == {scheduled.pk}
    listed = admin_site.get(admin_url(Interview, "changelist"), {"status__exact": "completed"})
    assert listed_pks(listed) == {assessed.pk}


# --- candidates: services, soft delete, restore -----------------------------------------------


def candidate_form(**overrides) -> dict:
    return {
        "email": " New.Person@Example.COM ",
        "full_name": "New Person",
        "phone": "+1 (415) 555-0100",
        "target_role": "Backend engineer",
        "experience_level": "senior",
        "status": "active",
        "user": "",
        **overrides,
    }


def test_add_candidate_stores_normalised_email_and_phone(admin_site):
    response = admin_site.post(admin_url(Candidate, "add"), candidate_form())
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.email == "new.person@example.com"
    assert candidate.phone == "+14155550100"
    assert response.url == admin_url(Candidate, "changelist")


def test_add_candidate_with_taken_email_is_a_form_error(admin_site):
    CandidateFactory(email="taken@example.com")
    response = admin_site.post(
        admin_url(Candidate, "add"), candidate_form(email="TAKEN@example.com")
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert Candidate.objects.count() == 1


def test_change_candidate_saves_through_the_service(admin_site):
    candidate = CandidateFactory(email="old@example.com")
    response = admin_site.post(
        admin_url(Candidate, "change", candidate.pk),
        candidate_form(email="Renamed@Example.com", full_name="Renamed Person"),
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.email, candidate.full_name) == ("renamed@example.com", "Renamed Person")


def test_candidate_delete_confirmations_list_only_the_candidates(admin_site):
    interview = full_interview()
    candidate = interview.candidate
    page = admin_site.get(admin_url(Candidate, "delete", candidate.pk))
    assert page.status_code == 200
    assert dict(page.context["model_count"]) == {"candidates": 1}
    bulk = admin_site.post(
        admin_url(Candidate, "changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(candidate.pk)]},
    )
    assert bulk.status_code == 200
    assert dict(bulk.context["model_count"]) == {"candidates": 1}
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_candidate_delete_view_soft_deletes(admin_site):
    candidate = CandidateFactory()
    response = admin_site.post(admin_url(Candidate, "delete", candidate.pk), {"post": "yes"})
    assert response.status_code == 302
    candidate = Candidate.all_objects.get(pk=candidate.pk)
    assert candidate.deleted_at is not None


def test_candidate_bulk_delete_soft_deletes_and_keeps_their_rows(admin_site):
    first, second = full_interview(), full_interview()
    response = run_action(
        admin_site, Candidate, "delete_selected", [first.candidate, second.candidate], post="yes"
    )
    assert response.status_code == 200
    deleted = Candidate.all_objects.filter(pk__in=[first.candidate_id, second.candidate_id])
    assert all(candidate.deleted_at is not None for candidate in deleted)
    # Nothing cascaded: the interviews are still there, only hidden.
    assert Interview.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


def test_candidate_changelist_shows_live_candidates_by_default(admin_site):
    live = CandidateFactory()
    gone = CandidateFactory()
    services.candidate_soft_delete(candidate=gone)
    assert listed_pks(admin_site.get(admin_url(Candidate, "changelist"))) == {live.pk}
    deleted = admin_site.get(admin_url(Candidate, "changelist"), {"deleted": "yes"})
    assert listed_pks(deleted) == {gone.pk}


def test_restore_action_brings_a_candidate_back(admin_site):
    candidate = services.candidate_soft_delete(candidate=CandidateFactory())
    response = run_action(admin_site, Candidate, "restore_selected", [candidate], "?deleted=yes")
    candidate.refresh_from_db()
    assert candidate.deleted_at is None
    assert "Restored 1." in page_messages(response)


def test_restore_action_refuses_when_a_live_candidate_has_the_email(admin_site):
    candidate = services.candidate_soft_delete(candidate=CandidateFactory(email="dup@example.com"))
    CandidateFactory(email="dup@example.com")
    response = run_action(admin_site, Candidate, "restore_selected", [candidate], "?deleted=yes")
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.deleted_at is not None
    assert any("Not restored" in message for message in page_messages(response))


@pytest.mark.parametrize("model", MODELS[1:], ids=lambda model: model.__name__)
def test_rows_of_a_deleted_candidate_are_hidden(admin_site, model):
    kept, hidden = full_interview(), full_interview()
    services.candidate_soft_delete(candidate=hidden.candidate)
    listed = listed_pks(admin_site.get(admin_url(model, "changelist")))
    assert row_of(model, kept).pk in listed
    assert row_of(model, hidden).pk not in listed
    # The change page does not open either (the admin redirects with "does not exist").
    assert admin_site.get(admin_url(model, "change", row_of(model, hidden).pk)).status_code == 302


def test_deleted_candidate_is_not_offered_by_autocomplete(admin_site):
    CandidateFactory(full_name="Alice Live")
    services.candidate_soft_delete(candidate=CandidateFactory(full_name="Alice Gone"))
    response = admin_site.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "interviews",
            "model_name": "interview",
            "field_name": "candidate",
            "term": "Alice",
        },
    )
    assert response.status_code == 200
    assert [result["text"].split(" <")[0] for result in response.json()["results"]] == [
        "Alice Live"
    ]


# --- resumes ----------------------------------------------------------------------------------


def test_add_resume_checks_the_content_and_stores_it(admin_site):
    candidate = CandidateFactory()
    upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.4 my resume", content_type="text/html")
    response = admin_site.post(
        admin_url(Resume, "add"), {"candidate": str(candidate.pk), "file": upload}
    )
    assert response.status_code == 302
    resume = Resume.objects.get()
    assert (resume.candidate, resume.content_type) == (candidate, "application/pdf")
    assert (resume.file_name, resume.file_size) == ("cv.pdf", 18)


def test_add_resume_refuses_other_files(admin_site):
    candidate = CandidateFactory()
    upload = SimpleUploadedFile("cv.pdf", b"\x00\x01binary", content_type="application/pdf")
    response = admin_site.post(
        admin_url(Resume, "add"), {"candidate": str(candidate.pk), "file": upload}
    )
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not Resume.objects.exists()


def test_resume_page_links_the_authenticated_download(admin_site):
    resume = ResumeFactory()
    response = admin_site.get(admin_url(Resume, "change", resume.pk))
    assert reverse("resume-download", kwargs={"pk": resume.pk}) in response.content.decode()


def test_resume_parsing_can_be_corrected_but_not_with_nul_characters(admin_site):
    resume = ResumeFactory()
    form = {"parsing_status": "completed", "parsed_at_0": "", "parsed_at_1": ""}
    refused = admin_site.post(
        admin_url(Resume, "change", resume.pk), {**form, "parsed_data": '{"x": "\\u0000"}'}
    )
    assert refused.status_code == 200
    assert "parsed_data" in refused.context["adminform"].form.errors
    saved = admin_site.post(
        admin_url(Resume, "change", resume.pk), {**form, "parsed_data": '{"skills": ["sql"]}'}
    )
    assert saved.status_code == 302
    resume.refresh_from_db()
    assert resume.parsing_status == Resume.ParsingStatus.COMPLETED
    assert resume.parsed_at is not None
    assert resume.parsed_data == {"skills": ["sql"]}


# --- interviews: services behind every write --------------------------------------------------


def interview_form(candidate: Candidate, **overrides) -> dict:
    return {
        "candidate": str(candidate.pk),
        "resume": "",
        "role_type": "react",
        "scheduled_for_0": "",
        "scheduled_for_1": "",
        "ai_model_used": "gpt-test",
        **overrides,
    }


def test_add_interview_goes_through_the_service(admin_site, staff_admin):
    candidate = CandidateFactory()
    response = admin_site.post(admin_url(Interview, "add"), interview_form(candidate))
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert (interview.candidate, interview.status) == (candidate, Interview.Status.SCHEDULED)
    created = InterviewStatusChange.objects.get(interview=interview)
    assert (created.from_status, created.to_status) == ("", Interview.Status.SCHEDULED)
    assert (created.changed_by, created.reason) == (staff_admin, "created")


def test_add_interview_with_another_candidates_resume_is_a_form_error(admin_site):
    candidate = CandidateFactory()
    response = admin_site.post(
        admin_url(Interview, "add"),
        interview_form(candidate, resume=str(ResumeFactory().pk)),
    )
    assert response.status_code == 200
    assert "resume" in response.context["adminform"].form.errors
    assert not Interview.objects.exists()


def test_status_and_counters_cannot_be_changed_in_the_form(admin_site):
    interview = InterviewFactory()
    response = admin_site.post(
        admin_url(Interview, "change", interview.pk),
        interview_form(
            interview.candidate,
            status="completed",
            message_count="99",
            total_tokens_used="5",
            role_type="fullstack",
        ),
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.role_type == Interview.RoleType.FULLSTACK
    assert (interview.status, interview.message_count, interview.total_tokens_used) == (
        Interview.Status.SCHEDULED,
        0,
        0,
    )


def test_status_actions_go_through_the_services(admin_site, staff_admin):
    interview = InterviewFactory()
    run_action(admin_site, Interview, "start_selected", [interview])
    interview.refresh_from_db()
    assert interview.status == Interview.Status.IN_PROGRESS
    assert InterviewSession.objects.filter(interview=interview).exists()
    run_action(admin_site, Interview, "complete_selected", [interview])
    interview.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETED
    history = InterviewStatusChange.objects.filter(interview=interview).order_by("created_at")
    assert [change.to_status for change in history] == ["in_progress", "completed"]
    assert {change.changed_by for change in history} == {staff_admin}


def test_status_action_reports_refused_transitions(admin_site):
    completed = InterviewFactory(completed=True)
    response = run_action(admin_site, Interview, "abandon_selected", [completed])
    completed.refresh_from_db()
    assert completed.status == Interview.Status.COMPLETED
    assert any("Cannot move" in message for message in page_messages(response))


# --- the interview change page ----------------------------------------------------------------


def in_progress_interview_with(texts: list[str]) -> Interview:
    interview = InterviewFactory(in_progress=True)
    for index, text in enumerate(texts):
        services.message_append(
            interview=interview,
            message_type=AI_QUESTION if index % 2 == 0 else ANSWER,
            content_text=text,
            tokens_used=10,
            response_time_seconds=None if index % 2 == 0 else 4.5,
        )
    return interview


def sequence_positions(html: str) -> list[int]:
    return [int(number) for number in re.findall(r'data-sequence="(\d+)"', html)]


def test_interview_page_shows_the_transcript_in_order(admin_site):
    texts = [f"message number {number}" for number in range(1, 8)]
    interview = in_progress_interview_with(texts)
    html = admin_site.get(admin_url(Interview, "change", interview.pk)).content.decode()
    assert sequence_positions(html) == list(range(1, 8))
    positions = [html.index(text) for text in texts]
    assert positions == sorted(positions)
    assert "transcript-capped" not in html


def test_interview_page_caps_the_transcript(admin_site, monkeypatch):
    monkeypatch.setattr(InterviewAdmin, "transcript_limit", 3)
    interview = in_progress_interview_with([f"line {number}" for number in range(1, 6)])
    html = admin_site.get(admin_url(Interview, "change", interview.pk)).content.decode()
    assert sequence_positions(html) == [1, 2, 3]
    assert "line 4" not in html
    assert "Showing the first 3 of 5 messages." in html
    full = admin_url(InterviewMessage, "changelist") + f"?interview__id__exact={interview.pk}"
    assert full.replace("&", "&amp;") in html


def test_interview_page_truncates_long_messages(admin_site):
    interview = in_progress_interview_with(["x" * 500])
    html = admin_site.get(admin_url(Interview, "change", interview.pk)).content.decode()
    assert "x" * 500 not in html
    assert "x" * 100 in html


def test_message_changelist_of_one_interview_reads_in_order(admin_site):
    interview = in_progress_interview_with(["one", "two", "three"])
    response = admin_site.get(
        admin_url(InterviewMessage, "changelist"), {"interview__id__exact": str(interview.pk)}
    )
    assert [message.sequence_number for message in response.context["cl"].result_list] == [
        1,
        2,
        3,
    ]


def test_interview_page_shows_session_state_escaped(admin_site):
    interview = InterviewFactory(in_progress=True)
    services.session_update(
        interview=interview, conversation_memory={"note": "<script>alert(1)</script>"}
    )
    html = admin_site.get(admin_url(Interview, "change", interview.pk)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '"conversation_memory": {\n    "note"' in html.replace("&quot;", '"')


def test_interview_page_shows_history_oldest_first_and_the_assessment(admin_site, staff_admin):
    interview = full_interview(by=staff_admin)
    html = admin_site.get(admin_url(Interview, "change", interview.pk)).content.decode()
    history = html[html.index('class="status-history"') :]
    rows = re.findall(r'<tr class="status-change">(.*?)</tr>', history, flags=re.S)
    assert len(rows) == 3
    assert "Scheduled" in rows[0]
    assert "In progress" in rows[1]
    assert "Completed" in rows[2]
    assert admin_url(type(interview.assessment), "change", interview.assessment.pk) in html
    assert "Overall score 72.50 / 100" in html


# --- recruiters -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_recruiter_sees_the_interview_domain(recruiter_site, model):
    full_interview()
    assert recruiter_site.get(admin_url(model, "changelist")).status_code == 200


def test_recruiter_can_add_candidates_and_interviews(recruiter_site):
    assert recruiter_site.get(admin_url(Candidate, "add")).status_code == 200
    response = recruiter_site.post(admin_url(Candidate, "add"), candidate_form())
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    response = recruiter_site.post(admin_url(Interview, "add"), interview_form(candidate))
    assert response.status_code == 302
    assert Interview.objects.filter(candidate=candidate).exists()


def test_recruiter_cannot_open_the_user_admin(recruiter_site):
    assert recruiter_site.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_recruiter_cannot_link_portal_accounts(recruiter_site):
    candidate = CandidateFactory()
    page = recruiter_site.get(admin_url(Candidate, "change", candidate.pk))
    assert "user" not in page.context["adminform"].form.fields


# --- query counts -----------------------------------------------------------------------------


def changelist_queries(client: Client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_queries_do_not_grow_with_rows(admin_site, staff_admin, model):
    for _ in range(3):
        full_interview(by=staff_admin)
    with_3 = changelist_queries(admin_site, model)
    for _ in range(27):
        full_interview(by=staff_admin)
    with_30 = changelist_queries(admin_site, model)
    assert model.objects.count() >= 30
    assert with_30 == with_3


def test_interview_page_queries_do_not_grow_with_messages(admin_site):
    interview = in_progress_interview_with(["a", "b"])
    with CaptureQueriesContext(connection) as few:
        admin_site.get(admin_url(Interview, "change", interview.pk))
    for number in range(20):
        services.message_append(
            interview=interview, message_type=AI_QUESTION, content_text=f"q{number}"
        )
    with CaptureQueriesContext(connection) as many:
        admin_site.get(admin_url(Interview, "change", interview.pk))
    assert len(many) == len(few)


def test_interview_changelist_shows_the_overall_score(admin_site):
    full_interview()
    assert "72.50" in admin_site.get(admin_url(Interview, "changelist")).content.decode()
