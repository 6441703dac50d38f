"""A recruiter's day in the admin, in a real browser: log in, find a candidate, read an
interview's transcript in order, abandon a scheduled interview with a reason."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from assessments.services import assessment_create
from interviews import services
from interviews.models import Interview, InterviewMessage, InterviewStatusChange, Resume
from interviews.tests.factories import CandidateFactory, InterviewFactory, ResumeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

CONVERSATION = [
    (InterviewMessage.MessageType.AI_QUESTION, "How would you index a table of a million rows?"),
    (InterviewMessage.MessageType.CANDIDATE_RESPONSE, "I would start from the queries it serves."),
    (InterviewMessage.MessageType.AI_QUESTION, "And when writes dominate?"),
    (InterviewMessage.MessageType.CANDIDATE_RESPONSE, "Fewer indexes, and measure the cost."),
    (InterviewMessage.MessageType.AI_QUESTION, "What does a partial index buy you?"),
    (InterviewMessage.MessageType.CANDIDATE_RESPONSE, "A smaller index for the rows you query."),
]
SKILL_HISTORY = [
    {"python": 55, "sql": 48, "testing": 60},
    {"python": 68, "sql": 61, "testing": 58},
    {"python": 81, "sql": 77, "testing": 72},
]


def completed_interview(candidate, by: User, days_ago: int, skill_scores: dict) -> Interview:
    interview = InterviewFactory(
        candidate=candidate,
        completed=True,
        started_at=timezone.now() - timedelta(days=days_ago, hours=1),
        completed_at=timezone.now() - timedelta(days=days_ago),
    )
    assessment_create(
        interview=interview,
        overall_score=Decimal(sum(skill_scores.values()) / len(skill_scores)).quantize(
            Decimal("0.01")
        ),
        skill_scores=skill_scores,
        integrity_score=Decimal("97.00"),
    )
    return interview


@pytest.fixture
def ada(recruiters_group):
    """Ada's file: three assessed interviews, one finished with a transcript, one scheduled."""
    staff = UserFactory(role=User.Role.ADMIN, email="scheduler@example.com")
    CandidateFactory(full_name="Alan Turing", email="alan@example.com")
    ada = CandidateFactory(full_name="Ada Lovelace", email="ada@example.com")
    resume = ResumeFactory(candidate=ada, file_name="ada-lovelace-cv.pdf")
    services.resume_update_parsing(resume=resume, parsing_status=Resume.ParsingStatus.COMPLETED)
    for days_ago, scores in zip((60, 30, 10), SKILL_HISTORY, strict=True):
        completed_interview(ada, staff, days_ago, scores)
    transcribed = services.interview_create(
        candidate=ada, role_type=Interview.RoleType.PYTHON, by=staff
    )
    transcribed = services.interview_start(interview=transcribed, by=staff)
    for number, (message_type, text) in enumerate(CONVERSATION):
        services.message_append(
            interview=transcribed,
            message_type=message_type,
            content_text=text,
            tokens_used=20,
            response_time_seconds=None if number % 2 == 0 else 3.0 + number,
        )
    scheduled = services.interview_create(
        candidate=ada,
        role_type=Interview.RoleType.REACT,
        by=staff,
        scheduled_for=timezone.now() + timedelta(days=2),
    )
    return {"candidate": ada, "transcribed": transcribed, "scheduled": scheduled}


def test_recruiter_finds_a_candidate_reads_a_transcript_and_abandons_an_interview(browser, ada):
    recruiter = UserFactory(role=User.Role.RECRUITER, email="rita@example.com")
    browser.log_in(recruiter.email)
    assert browser.path == "/admin/"
    assert browser.find_all("#recruiter-dashboard #dashboard-in-progress")
    caption = browser.text("#dashboard-in-progress caption").lower()  # styled upper-case
    assert "1 interview in progress now" in caption
    assert not browser.find_all("#dashboard-locked")  # accounts are for admins

    # Search the candidate list.
    browser.visit("/admin/interviews/candidate/", "candidates")
    browser.fill("#searchbar", "lovelace")
    browser.press_enter("#searchbar", "candidate-search")
    names = [cell.text for cell in browser.find_all("#result_list tbody th a")]
    assert names == ["Ada Lovelace"]
    browser.click("#result_list tbody th a", "candidate-page")

    # The candidate page: interviews, resumes, and the skill progression of the assessments.
    assert len(browser.find_all("tr.candidate-interview")) == 5
    resume = browser.text("tr.candidate-resume.parsing-completed")
    assert "ada-lovelace-cv.pdf" in resume and "Completed" in resume
    lines = browser.find_all("svg.progression-chart g.skill-line")
    assert sorted(line.get_attribute("data-skill") for line in lines) == [
        "python",
        "sql",
        "testing",
    ]

    # Open the interview with the transcript and read it in order.
    transcribed = ada["transcribed"]
    browser.click(f'tr.candidate-interview a[href$="/{transcribed.pk}/change/"]', "interview")
    messages = browser.find_all("ol.transcript li.transcript-message")
    assert [int(item.get_attribute("data-sequence")) for item in messages] == [1, 2, 3, 4, 5, 6]
    assert [item.find_element("css selector", ".message-text").text for item in messages] == [
        text for _, text in CONVERSATION
    ]
    assert "answered in 4 s" in messages[1].text
    assert [button.text for button in browser.find_all("#interview-transitions button")] == [
        "Complete interview",
        "Abandon interview",
    ]

    # Back to the candidate, then abandon the scheduled interview with a reason.
    browser.click(".field-candidate a", "candidate-again")
    scheduled = ada["scheduled"]
    browser.click(f'tr.candidate-interview a[href$="/{scheduled.pk}/change/"]', "scheduled")
    assert [button.text for button in browser.find_all("#interview-transitions button")] == [
        "Start interview",
        "Abandon interview",
    ]
    browser.fill("#abandon-reason", "Candidate accepted another offer.")
    browser.click("#transition-abandon", "abandoned")
    assert browser.path == f"/admin/interviews/interview/{scheduled.pk}/change/"
    assert browser.messages() == ["Interview abandoned."]
    assert not browser.find_all("#interview-transitions")
    last_change = browser.find_all("table.status-history tr.status-change")[-1].text
    assert "Scheduled" in last_change and "Abandoned" in last_change
    assert "rita@example.com" in last_change
    assert "Candidate accepted another offer." in last_change

    scheduled.refresh_from_db()
    assert scheduled.status == Interview.Status.ABANDONED
    change = InterviewStatusChange.objects.get(interview=scheduled, to_status="abandoned")
    assert (change.changed_by, change.reason) == (recruiter, "Candidate accepted another offer.")


def test_refused_transition_is_shown_on_the_page(browser, ada):
    """A second tab already abandoned the interview: the button's POST is refused politely."""
    recruiter = UserFactory(role=User.Role.RECRUITER)
    scheduled = ada["scheduled"]
    browser.log_in(recruiter.email)
    browser.visit(f"/admin/interviews/interview/{scheduled.pk}/change/", "scheduled")
    services.interview_abandon(interview=scheduled, by=None, reason="abandoned elsewhere")
    browser.click("#transition-start", "refused")
    assert any("Cannot move" in message for message in browser.messages())
    scheduled.refresh_from_db()
    assert scheduled.status == Interview.Status.ABANDONED
