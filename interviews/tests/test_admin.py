"""The interview-domain admin: pages, filters, soft delete, services behind every write,
the interview change page (session, transcript, history), recruiters, and query counts."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.backends import RECRUITERS_GROUP
from accounts.models import User
from accounts.tests.factories import UserFactory
from assessments.models import AssessmentResult
from assessments.tests.factories import AssessmentFactory
from config import dashboard
from core.admin import EstimatedCountPaginator
from interviews import services
from interviews.admin.candidates import CandidateAdmin
from interviews.admin.interviews import MESSAGE_CHARS, InterviewAdmin
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


# --- interviews: deletion follows interview_delete (issue 12, item 12) -------------------------


def test_admin_deletes_a_scheduled_interview(admin_site):
    interview = InterviewFactory()
    page = admin_site.get(admin_url(Interview, "delete", interview.pk))
    assert page.status_code == 200
    assert not page.context["protected"]

    response = admin_site.post(admin_url(Interview, "delete", interview.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Interview.objects.filter(pk=interview.pk).exists()


def test_admin_refuses_to_delete_a_completed_interview_and_says_why(admin_site):
    interview = full_interview()
    page = admin_site.get(admin_url(Interview, "delete", interview.pk))
    assert page.status_code == 200
    assert any("Only a scheduled interview" in reason for reason in page.context["protected"])

    response = admin_site.post(admin_url(Interview, "delete", interview.pk), {"post": "yes"})

    assert response.status_code == 200  # the refusal page again, nothing deleted
    assert Interview.objects.filter(pk=interview.pk).exists()
    assert InterviewMessage.objects.filter(interview=interview).count() == 2
    assert AssessmentResult.objects.filter(interview=interview).exists()


def test_admin_bulk_delete_refuses_when_any_interview_is_not_deletable(admin_site):
    scheduled, completed = InterviewFactory(), full_interview()

    response = run_action(
        admin_site, Interview, "delete_selected", [scheduled, completed], post="yes"
    )

    assert response.status_code == 200
    assert len(response.context["protected"]) == 1
    assert Interview.objects.filter(pk__in=[scheduled.pk, completed.pk]).count() == 2


def test_admin_bulk_delete_removes_scheduled_interviews(admin_site):
    first, second = InterviewFactory(), InterviewFactory()

    run_action(admin_site, Interview, "delete_selected", [first, second], post="yes")

    assert not Interview.objects.filter(pk__in=[first.pk, second.pk]).exists()


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


def test_interview_page_cuts_very_long_messages_and_links_the_whole_one(admin_site):
    interview = in_progress_interview_with(["x" * (MESSAGE_CHARS + 500)])
    html = admin_site.get(admin_url(Interview, "change", interview.pk)).content.decode()
    assert "x" * (MESSAGE_CHARS + 1) not in html
    assert "x" * MESSAGE_CHARS in html
    message = InterviewMessage.objects.get(interview=interview)
    assert f'<a href="{admin_url(InterviewMessage, "change", message.pk)}">(whole message)' in html


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


# The most queries each page may make, whatever the data (measured on PostgreSQL, which adds
# the EXPLAIN of EstimatedCountPaginator to the big lists; SQLite makes one fewer there). A
# platform admin's changelists list the organizations for their filter (one query); the
# interview list also lists the positions for its own.
QUERY_BUDGETS = {
    "dashboard": 8,
    Candidate: 8,
    Resume: 9,
    Interview: 9,
    InterviewSession: 8,
    InterviewMessage: 6,
    InterviewStatusChange: 6,
    "candidate page": 8,
    "interview page": 6,
}


def page_queries(client: Client, url: str) -> int:
    """Return the queries of one page load, after a first load that fills the process-wide
    caches (content types), so the count depends on the data alone."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def changelist_queries(client: Client, model) -> int:
    return page_queries(client, admin_url(model, "changelist"))


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_queries_do_not_grow_with_rows(admin_site, staff_admin, model):
    for _ in range(3):
        full_interview(by=staff_admin)
    with_3 = changelist_queries(admin_site, model)
    for _ in range(27):
        full_interview(by=staff_admin)
    with_30 = changelist_queries(admin_site, model)
    assert model.objects.count() >= 30
    assert with_30 == with_3 <= QUERY_BUDGETS[model]


def test_interview_page_queries_do_not_grow_with_messages(admin_site):
    interview = in_progress_interview_with(["a", "b"])
    few = page_queries(admin_site, admin_url(Interview, "change", interview.pk))
    for number in range(20):
        services.message_append(
            interview=interview, message_type=AI_QUESTION, content_text=f"q{number}"
        )
    assert page_queries(admin_site, admin_url(Interview, "change", interview.pk)) == few


def test_interview_changelist_shows_the_overall_score(admin_site):
    full_interview()
    assert "72.50" in admin_site.get(admin_url(Interview, "changelist")).content.decode()


# --- the admin index dashboard ----------------------------------------------------------------


def index_page(client: Client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response


def week_counts(response) -> dict[str, int]:
    return {row.label: row.count for row in response.context["dashboard"].week_counts}


def test_dashboard_counts_this_weeks_interviews_by_status(admin_site):
    InterviewFactory.create_batch(2)
    InterviewFactory(in_progress=True)
    InterviewFactory(completed=True)
    InterviewFactory(created_at=timezone.now() - timedelta(days=30))  # an earlier week
    hidden = InterviewFactory()
    services.candidate_soft_delete(candidate=hidden.candidate)
    response = index_page(admin_site)
    assert week_counts(response) == {
        "Scheduled": 2,
        "In progress": 1,
        "Completed": 1,
        "Abandoned": 0,
    }
    assert response.context["dashboard"].week_total == 4
    assert 'id="dashboard-week"' in response.content.decode()


def test_dashboard_week_links_open_the_matching_interviews(admin_site):
    this_week = InterviewFactory()
    InterviewFactory(created_at=timezone.now() - timedelta(days=30))
    InterviewFactory(completed=True)
    scheduled = index_page(admin_site).context["dashboard"].week_counts[0]
    assert scheduled.label == "Scheduled"
    listed = admin_site.get(scheduled.url)
    assert listed.status_code == 200
    assert listed_pks(listed) == {this_week.pk}


def test_dashboard_lists_running_interviews_by_last_activity(admin_site):
    quiet = InterviewFactory(in_progress=True, candidate=CandidateFactory(full_name="Quiet One"))
    busy = InterviewFactory(in_progress=True, candidate=CandidateFactory(full_name="Busy One"))
    InterviewSession.objects.filter(interview=quiet).update(
        last_activity_at=timezone.now() - timedelta(hours=3)
    )
    services.message_append(interview=busy, message_type=AI_QUESTION, content_text="Hello?")
    InterviewFactory(completed=True)
    response = index_page(admin_site)
    dashboard = response.context["dashboard"]
    assert [interview.pk for interview in dashboard.in_progress] == [busy.pk, quiet.pk]
    assert dashboard.in_progress_total == 2
    html = response.content.decode()
    assert "2 interviews in progress now" in html
    assert html.index("Busy One") < html.index("Quiet One")
    assert "3\xa0hours ago" in html
    assert admin_url(Interview, "change", busy.pk) in html


def test_dashboard_lists_recent_assessments_with_scores(admin_site):
    older = AssessmentFactory(
        overall_score="61.25", generated_at=timezone.now() - timedelta(days=2)
    )
    newer = AssessmentFactory(overall_score="88.00")
    response = index_page(admin_site)
    assert [row.pk for row in response.context["dashboard"].recent_assessments] == [
        newer.pk,
        older.pk,
    ]
    html = response.content.decode()
    assert "88.00" in html and "61.25" in html
    assert admin_url(type(newer), "change", newer.pk) in html


def test_dashboard_lists_are_capped(admin_site):
    for _ in range(dashboard.LIST_LIMIT + 2):
        InterviewFactory(in_progress=True)
    response = index_page(admin_site)
    assert len(response.context["dashboard"].in_progress) == dashboard.LIST_LIMIT
    assert response.context["dashboard"].in_progress_total == dashboard.LIST_LIMIT + 2


def test_dashboard_shows_locked_accounts_to_admins(admin_site):
    locked = UserFactory(
        email="locked@example.com",
        failed_login_attempts=5,
        locked_until=timezone.now() + timedelta(minutes=10),
    )
    UserFactory(email="expired@example.com", locked_until=timezone.now() - timedelta(minutes=1))
    response = index_page(admin_site)
    assert response.context["dashboard"].locked_users == [locked]
    html = response.content.decode()
    assert "locked@example.com" in html
    assert "expired@example.com" not in html
    assert reverse("admin:accounts_user_changelist") + "?locked=yes" in html


def test_dashboard_hides_accounts_from_recruiters(recruiter_site):
    UserFactory(email="locked@example.com", locked_until=timezone.now() + timedelta(minutes=10))
    AssessmentFactory()
    response = index_page(recruiter_site)
    dashboard = response.context["dashboard"]
    assert dashboard.locked_users is None
    assert dashboard.week_counts is not None
    assert len(dashboard.recent_assessments) == 1
    html = response.content.decode()
    assert "locked@example.com" not in html
    assert 'id="dashboard-locked"' not in html


def test_dashboard_escapes_names(admin_site):
    InterviewFactory(in_progress=True, candidate=CandidateFactory(full_name="<b>Bold</b>"))
    html = index_page(admin_site).content.decode()
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def dashboard_queries(client: Client) -> int:
    return page_queries(client, reverse("admin:index"))


def add_dashboard_rows(count: int, by: User) -> None:
    for number in range(count):
        full_interview(by=by)
        InterviewFactory(in_progress=True)
        UserFactory(locked_until=timezone.now() + timedelta(minutes=number + 1))


def test_dashboard_queries_do_not_grow_with_rows(admin_site, staff_admin):
    add_dashboard_rows(3, staff_admin)
    with_3 = dashboard_queries(admin_site)
    add_dashboard_rows(27, staff_admin)
    with_30 = dashboard_queries(admin_site)
    assert with_30 == with_3 <= QUERY_BUDGETS["dashboard"]


# --- the candidate page -----------------------------------------------------------------------


def candidate_page(client: Client, candidate: Candidate) -> str:
    response = client.get(admin_url(Candidate, "change", candidate.pk))
    assert response.status_code == 200
    return response.content.decode()


def completed_with_scores(candidate: Candidate, days_ago: int, **skill_scores) -> Interview:
    interview = InterviewFactory(
        candidate=candidate,
        completed=True,
        started_at=timezone.now() - timedelta(days=days_ago, hours=1),
        completed_at=timezone.now() - timedelta(days=days_ago),
    )
    AssessmentFactory(interview=interview, skill_scores=skill_scores, overall_score="70")
    return interview


def test_candidate_page_lists_interviews_with_status_score_and_date(admin_site):
    candidate = CandidateFactory()
    assessed = full_interview(candidate=candidate)
    scheduled = InterviewFactory(candidate=candidate, role_type=Interview.RoleType.REACT)
    InterviewFactory()  # someone else's
    html = candidate_page(admin_site, candidate)
    table = html[html.index('class="candidate-interviews"') :].split("</table>")[0]
    rows = re.findall(r'<tr class="candidate-interview status-(\w+)">(.*?)</tr>', table, re.S)
    assert [status for status, _ in rows] == ["scheduled", "completed"]  # newest first
    assert admin_url(Interview, "change", scheduled.pk) in rows[0][1]
    assert "React" in rows[0][1]
    assert admin_url(Interview, "change", assessed.pk) in rows[1][1]
    assessment = assessed.assessment
    assert (
        f'<a href="{admin_url(type(assessment), "change", assessment.pk)}">72.50</a>'
        in (rows[1][1])
    )
    assert timezone.localtime(assessed.completed_at).strftime("%Y-%m-%d %H:%M") in rows[1][1]
    assert "All 2 interviews in the interview list" in html


def test_candidate_page_caps_the_interview_list(admin_site, monkeypatch):
    monkeypatch.setattr(CandidateAdmin, "related_rows_limit", 2)
    candidate = CandidateFactory()
    InterviewFactory.create_batch(3, candidate=candidate)
    html = candidate_page(admin_site, candidate)
    assert html.count('<tr class="candidate-interview ') == 2
    assert "Showing the latest 2 of 3 interviews." in html


def test_candidate_page_lists_resumes_with_parsing_status_and_download(admin_site):
    candidate = CandidateFactory()
    resume = ResumeFactory(candidate=candidate, file_name="cv-2025.pdf")
    services.resume_update_parsing(resume=resume, parsing_status=Resume.ParsingStatus.FAILED)
    html = candidate_page(admin_site, candidate)
    table = html[html.index('class="candidate-resumes"') :].split("</table>")[0]
    assert '<tr class="candidate-resume parsing-failed">' in table
    assert "Failed" in table
    download = reverse("resume-download", kwargs={"pk": resume.pk})
    assert f'<a href="{download}" class="resume-download">cv-2025.pdf</a>' in table
    # The link works with the admin session: the API accepts session authentication.
    file = admin_site.get(download)
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == b"%PDF-1.4 resume"


def test_candidate_page_without_interviews_or_resumes_says_so(admin_site):
    html = candidate_page(admin_site, CandidateFactory())
    assert "No interviews yet." in html
    assert "No resumes yet." in html
    assert "No skill scores from completed interviews yet." in html


def progression(html: str) -> str:
    return html[html.index('<svg class="progression-chart"') :].split("</svg>")[0]


def test_candidate_page_draws_skill_progression_in_completion_order(admin_site):
    candidate = CandidateFactory()
    completed_with_scores(candidate, 10, python=50, sql=40)
    completed_with_scores(candidate, 5, python=70)
    completed_with_scores(candidate, 1, python=90, sql=80)
    InterviewFactory(candidate=candidate, in_progress=True)
    chart = progression(candidate_page(admin_site, candidate))
    lines = dict(
        re.findall(r'<g class="skill-line" data-skill="(\w+)"><polyline points="([^"]+)"', chart)
    )
    assert set(lines) == {"python", "sql"}
    python_points = [tuple(map(float, pair.split(","))) for pair in lines["python"].split()]
    assert len(python_points) == 3
    xs = [x for x, _ in python_points]
    ys = [y for _, y in python_points]
    assert xs == sorted(xs)  # oldest interview on the left
    assert ys == sorted(ys, reverse=True)  # rising scores: SVG y grows downwards
    assert len(lines["sql"].split()) == 2
    assert re.findall(r'class="legend-entry"', chart) and ">python<" in chart
    assert "<script" not in chart


def test_skill_progression_escapes_skill_names(admin_site):
    candidate = CandidateFactory()
    completed_with_scores(candidate, 2, **{"<script>x</script>": 50})
    completed_with_scores(candidate, 1, **{"<script>x</script>": 60})
    chart = progression(candidate_page(admin_site, candidate))
    assert "<script>" not in chart
    assert 'data-skill="&lt;script&gt;x&lt;/script&gt;"' in chart


def candidate_page_queries(client: Client, candidate: Candidate) -> int:
    return page_queries(client, admin_url(Candidate, "change", candidate.pk))


def test_candidate_page_queries_do_not_grow_with_interviews(admin_site, staff_admin):
    candidate = CandidateFactory()
    for _ in range(3):
        full_interview(by=staff_admin, candidate=candidate)
    with_3 = candidate_page_queries(admin_site, candidate)
    for _ in range(27):
        full_interview(by=staff_admin, candidate=candidate)
    with_30 = candidate_page_queries(admin_site, candidate)
    assert with_30 == with_3 <= QUERY_BUDGETS["candidate page"]


# --- the interview page: status buttons -------------------------------------------------------


def transition_url(interview: Interview, action: str) -> str:
    return reverse(f"admin:interviews_interview_{action}", args=[interview.pk])


def buttons_on(client: Client, interview: Interview) -> list[str]:
    response = client.get(admin_url(Interview, "change", interview.pk))
    assert response.status_code == 200
    return [button["action"] for button in response.context["transition_buttons"]]


@pytest.mark.parametrize(
    ("traits", "expected"),
    [
        ({}, ["start", "abandon"]),
        ({"in_progress": True}, ["complete", "abandon"]),
        ({"completed": True}, []),
        ({"abandoned": True}, []),
    ],
    ids=["scheduled", "in_progress", "completed", "abandoned"],
)
def test_interview_page_offers_the_allowed_transitions(admin_site, traits, expected):
    interview = InterviewFactory(**traits)
    assert buttons_on(admin_site, interview) == expected
    html = admin_site.get(admin_url(Interview, "change", interview.pk)).content.decode()
    for action in expected:
        assert f'action="{transition_url(interview, action)}"' in html
    assert ('name="reason"' in html) == ("abandon" in expected)


def test_start_and_complete_buttons_go_through_the_services(admin_site, staff_admin):
    interview = InterviewFactory()
    response = admin_site.post(transition_url(interview, "start"), follow=True)
    assert response.redirect_chain == [(admin_url(Interview, "change", interview.pk), 302)]
    assert "Interview started." in page_messages(response)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.IN_PROGRESS
    assert InterviewSession.objects.filter(interview=interview).exists()
    response = admin_site.post(transition_url(interview, "complete"), follow=True)
    assert "Interview completed." in page_messages(response)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETED
    assert interview.duration_seconds is not None
    history = InterviewStatusChange.objects.filter(interview=interview).order_by("created_at")
    assert [(change.to_status, change.changed_by) for change in history] == [
        ("in_progress", staff_admin),
        ("completed", staff_admin),
    ]


def test_abandon_button_records_the_reason(admin_site, staff_admin):
    interview = InterviewFactory()
    response = admin_site.post(
        transition_url(interview, "abandon"), {"reason": "  Candidate withdrew.  "}, follow=True
    )
    assert "Interview abandoned." in page_messages(response)
    interview.refresh_from_db()
    assert (interview.status, interview.abandon_reason) == ("abandoned", "Candidate withdrew.")
    change = InterviewStatusChange.objects.get(interview=interview, to_status="abandoned")
    assert (change.from_status, change.reason, change.changed_by) == (
        "scheduled",
        "Candidate withdrew.",
        staff_admin,
    )
    history = response.content.decode()
    history = history[history.index('class="status-history"') :]
    assert "Candidate withdrew." in history


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001, "bad\x00byte"], ids=repr)
def test_abandon_button_needs_a_valid_reason(admin_site, reason):
    interview = InterviewFactory()
    response = admin_site.post(
        transition_url(interview, "abandon"), {"reason": reason}, follow=True
    )
    assert any(message.startswith("Not abandoned:") for message in page_messages(response))
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED
    assert not InterviewStatusChange.objects.filter(to_status="abandoned").exists()


def test_refused_transition_shows_the_conflict(admin_site):
    interview = InterviewFactory(completed=True)
    response = admin_site.post(transition_url(interview, "start"), follow=True)
    assert response.redirect_chain[-1][0] == admin_url(Interview, "change", interview.pk)
    assert any("Cannot move" in message for message in page_messages(response))
    interview.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETED


def test_transition_urls_need_post(admin_site):
    interview = InterviewFactory()
    assert admin_site.get(transition_url(interview, "start")).status_code == 405
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED


def test_transition_urls_need_the_csrf_token(staff_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_admin)
    interview = InterviewFactory()
    assert client.post(transition_url(interview, "start")).status_code == 403
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED


def test_transitions_need_the_change_permission(recruiter_site):
    change = Permission.objects.get(codename="change_interview")
    Group.objects.get(name=RECRUITERS_GROUP).permissions.remove(change)
    interview = InterviewFactory()
    assert buttons_on(recruiter_site, interview) == []
    assert recruiter_site.post(transition_url(interview, "start")).status_code == 403
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED


def test_recruiters_can_use_the_transition_buttons(recruiter_site):
    interview = InterviewFactory()
    response = recruiter_site.post(transition_url(interview, "abandon"), {"reason": "no show"})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.ABANDONED


def test_transition_of_a_hidden_interview_is_not_found(admin_site):
    interview = InterviewFactory()
    services.candidate_soft_delete(candidate=interview.candidate)
    response = admin_site.post(transition_url(interview, "start"))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED


def test_transition_is_logged_in_the_admin_history(admin_site, staff_admin):
    interview = InterviewFactory()
    admin_site.post(transition_url(interview, "start"))
    entry = LogEntry.objects.get(object_id=str(interview.pk))
    assert (entry.user, entry.get_change_message()) == (staff_admin, "Interview started.")


# --- the interview page: conversation, assessment, title --------------------------------------


def test_transcript_reads_as_a_conversation(admin_site):
    interview = in_progress_interview_with(["What is a B-tree?", "A balanced search tree."])
    html = admin_site.get(admin_url(Interview, "change", interview.pk)).content.decode()
    question = re.search(r'<li class="transcript-message from-ai".*?</li>', html, re.S).group()
    answer = re.search(r'<li class="transcript-message from-candidate".*?</li>', html, re.S)
    assert "Question" in question and "What is a B-tree?" in question
    assert "Answer" in answer.group() and "A balanced search tree." in answer.group()
    assert "answered in 4.5 s" in answer.group()
    assert html.index("What is a B-tree?") < html.index("A balanced search tree.")


def test_interview_page_shows_the_assessment_with_its_skill_chart(admin_site):
    interview = full_interview()
    html = admin_site.get(admin_url(Interview, "change", interview.pk)).content.decode()
    assessment = html[html.index("field-assessment_summary") :]
    assert '<svg class="skill-chart"' in assessment
    assert 'data-skill="python"' in assessment and 'data-skill="sql"' in assessment


def test_interview_page_names_the_candidate_in_its_title(admin_site):
    interview = InterviewFactory(candidate=CandidateFactory(full_name="Grace Hopper"))
    response = admin_site.get(admin_url(Interview, "change", interview.pk))
    assert response.context["subtitle"] == "Python interview of Grace Hopper (scheduled)"


def interview_page_queries(client: Client, interview: Interview) -> int:
    return page_queries(client, admin_url(Interview, "change", interview.pk))


def test_interview_page_queries_do_not_grow_with_the_database(admin_site, staff_admin):
    interview = full_interview(by=staff_admin)
    for _ in range(2):
        full_interview(by=staff_admin, candidate=interview.candidate)
    with_3 = interview_page_queries(admin_site, interview)
    for _ in range(27):
        full_interview(by=staff_admin, candidate=interview.candidate)
    assert interview_page_queries(admin_site, interview) == with_3
    assert with_3 <= QUERY_BUDGETS["interview page"]


# --- large lists: estimated counts ------------------------------------------------------------


def test_small_lists_are_counted_exactly(admin_site):
    interview = in_progress_interview_with(["a", "b", "c"])
    response = admin_site.get(
        admin_url(InterviewMessage, "changelist"), {"interview__id__exact": str(interview.pk)}
    )
    assert response.context["cl"].result_count == 3
    assert response.context["cl"].paginator.count_is_estimate is False
    assert "about" not in response.content.decode().split('class="paginator"')[1][:200]


@pytest.mark.postgres
def test_large_lists_show_the_planners_estimate(admin_site, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 1)
    in_progress_interview_with(["a", "b", "c"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE interviews_interviewmessage")
    response = admin_site.get(admin_url(InterviewMessage, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].paginator.count_is_estimate is True
    assert 'class="estimated-count"' in response.content.decode()
    # The page is still the real rows.
    assert len(response.context["cl"].result_list) == 3


def test_message_list_across_interviews_is_newest_first(admin_site):
    first = in_progress_interview_with(["one"])
    second = in_progress_interview_with(["two"])
    response = admin_site.get(admin_url(InterviewMessage, "changelist"))
    assert [row.interview_id for row in response.context["cl"].result_list] == [
        second.pk,
        first.pk,
    ]


@pytest.mark.postgres
def test_estimated_count_of_a_query_known_to_be_empty_is_exact(monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 1)
    in_progress_interview_with(["a"])
    # Django never sends a query it knows to be empty, so there is no plan to read.
    paginator = EstimatedCountPaginator(InterviewMessage.objects.filter(pk__in=[]), 100)
    assert (paginator.count, paginator.count_is_estimate) == (0, False)
    paginator = EstimatedCountPaginator(InterviewMessage.objects.all(), 100)
    assert paginator.count >= 1
    assert paginator.count_is_estimate is True
