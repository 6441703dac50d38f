"""The assessment admin: pages, filters, the skill bar chart, API-shaped JSON checks, services
behind every write, soft-deleted candidates, recruiters and query counts; the skill progression
line chart of the candidate page."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.charts import (
    BAR_WIDTH,
    MAX_LINES,
    PLOT_HEIGHT,
    PLOT_TOP,
    ProgressPoint,
    progression_chart,
)
from assessments.models import AssessmentResult
from assessments.tests.factories import AssessmentFactory
from interviews import services
from interviews.tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assessments_assessmentresult_changelist"
ADD = "admin:assessments_assessmentresult_add"
CHANGE = "admin:assessments_assessmentresult_change"


def listed_pks(response) -> set:
    return {row.pk for row in response.context["cl"].result_list}


def assessment_form(interview, **overrides) -> dict:
    now = timezone.now()
    return {
        "interview": str(interview.pk),
        "overall_score": "81.5",
        "integrity_score": "",
        "generated_at_0": now.strftime("%Y-%m-%d"),
        "generated_at_1": now.strftime("%H:%M:%S"),
        "skill_scores": '{"python": 90, "sql": 70}',
        "skill_boundary_map": "{}",
        "strengths": '["clear"]',
        "weaknesses": "[]",
        "integrity_flags": "[]",
        "recommended_actions": "[]",
        "ai_reasoning": '{"summary": "good"}',
        **overrides,
    }


# --- pages ------------------------------------------------------------------------------------


def test_changelist_renders(admin_site):
    assessment = AssessmentFactory()
    response = admin_site.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert listed_pks(response) == {assessment.pk}


def test_changelist_search_renders(admin_site):
    assessment = AssessmentFactory()
    response = admin_site.get(reverse(CHANGELIST), {"q": assessment.interview.candidate.email})
    assert listed_pks(response) == {assessment.pk}


def test_add_page_renders(admin_site):
    assert admin_site.get(reverse(ADD)).status_code == 200


def test_change_page_renders(admin_site):
    assessment = AssessmentFactory()
    response = admin_site.get(reverse(CHANGE, args=[assessment.pk]))
    assert response.status_code == 200
    assert reverse("admin:interviews_interview_change", args=[assessment.interview_id]) in (
        response.content.decode()
    )


FILTERS = [
    ({"score": "low"}, {"low"}),
    ({"score": "fair"}, {"fair", "flagged"}),
    ({"score": "good"}, {"good"}),
    ({"score": "excellent"}, {"excellent"}),
    ({"flagged": "yes"}, {"flagged"}),
    ({"flagged": "no"}, {"low", "fair", "good", "excellent"}),
    ({"interview__role_type__exact": "react"}, {"excellent"}),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS, ids=[str(p) for p, _ in FILTERS])
def test_changelist_filters_select_the_right_rows(admin_site, params, expected):
    rows = {
        "low": AssessmentFactory(overall_score=Decimal("30")),
        "fair": AssessmentFactory(overall_score=Decimal("50")),
        "good": AssessmentFactory(overall_score=Decimal("84.99")),
        "excellent": AssessmentFactory(
            overall_score=Decimal("85"),
            interview=InterviewFactory(completed=True, role_type="react"),
        ),
        "flagged": AssessmentFactory(
            overall_score=Decimal("60"), integrity_flags=["tab switching"]
        ),
    }
    response = admin_site.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    assert listed_pks(response) == {rows[name].pk for name in expected}


def test_assessments_of_a_deleted_candidate_are_hidden(admin_site):
    kept, hidden = AssessmentFactory(), AssessmentFactory()
    services.candidate_soft_delete(candidate=hidden.interview.candidate)
    assert listed_pks(admin_site.get(reverse(CHANGELIST))) == {kept.pk}
    assert admin_site.get(reverse(CHANGE, args=[hidden.pk])).status_code == 302


# --- the skill chart --------------------------------------------------------------------------


def test_change_page_draws_a_bar_for_each_skill(admin_site):
    assessment = AssessmentFactory(skill_scores={"python": 80, "sql": 65, "testing": 100})
    html = admin_site.get(reverse(CHANGE, args=[assessment.pk])).content.decode()
    assert '<svg class="skill-chart"' in html
    assert "<script" not in html[html.index('<svg class="skill-chart"') :].split("</svg>")[0]
    for skill, score in {"python": 80, "sql": 65, "testing": 100}.items():
        group = re.search(rf'<g class="skill" data-skill="{skill}".*?</g>', html, flags=re.S)
        assert group is not None, skill
        width = round(score * BAR_WIDTH / 100, 1)
        assert f'class="skill-bar" x="160" y="0" width="{width}"' in group.group()
        assert f">{score}</text>" in group.group()
    # Best first.
    order = re.findall(r'data-skill="(\w+)"', html)
    assert order == ["testing", "python", "sql"]


def test_skill_chart_escapes_names_and_clamps_odd_scores(admin_site):
    assessment = AssessmentFactory(
        skill_scores={"<b>react</b>": 140, "css": -5, "vibes": "lots"},
    )
    html = admin_site.get(reverse(CHANGE, args=[assessment.pk])).content.decode()
    chart = html[html.index('<svg class="skill-chart"') :].split("</svg>")[0]
    assert "<b>react</b>" not in chart
    assert 'data-skill="&lt;b&gt;react&lt;/b&gt;"' in chart
    assert f'width="{float(BAR_WIDTH)}"' in chart
    assert 'data-skill="vibes"' not in chart


def test_skill_chart_shortens_long_names_and_keeps_them_in_the_tooltip(admin_site):
    name = "distributed systems design and operations"
    assessment = AssessmentFactory(skill_scores={name: 70})
    html = admin_site.get(reverse(CHANGE, args=[assessment.pk])).content.decode()
    chart = html[html.index('<svg class="skill-chart"') :].split("</svg>")[0]
    assert f">{name}</text>" not in chart
    assert f"<title>{name}: 70</title>" in chart


def test_change_page_without_skills_says_so(admin_site):
    assessment = AssessmentFactory(skill_scores={})
    html = admin_site.get(reverse(CHANGE, args=[assessment.pk])).content.decode()
    assert "No skill scores." in html


# --- writes go through the services and the API's checks ---------------------------------------


def test_add_assessment_of_a_completed_interview(admin_site):
    interview = InterviewFactory(completed=True)
    response = admin_site.post(reverse(ADD), assessment_form(interview))
    assert response.status_code == 302
    assessment = AssessmentResult.objects.get()
    assert assessment.interview == interview
    assert assessment.overall_score == Decimal("81.5")
    assert assessment.skill_scores == {"python": 90.0, "sql": 70.0}


@pytest.mark.parametrize(
    "interview_traits", [{}, {"in_progress": True}, {"abandoned": True}], ids=str
)
def test_add_assessment_of_an_unfinished_interview_is_a_form_error(admin_site, interview_traits):
    interview = InterviewFactory(**interview_traits)
    response = admin_site.post(reverse(ADD), assessment_form(interview))
    assert response.status_code == 200
    assert "interview" in response.context["adminform"].form.errors
    assert not AssessmentResult.objects.exists()


def test_second_assessment_of_an_interview_is_a_form_error(admin_site):
    existing = AssessmentFactory()
    response = admin_site.post(reverse(ADD), assessment_form(existing.interview))
    assert response.status_code == 200
    assert "interview" in response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("skill_scores", '{"python": 120}'),
        ("skill_scores", '["python"]'),
        ("skill_scores", '{" ": 50}'),
        ("strengths", '{"not": "a list"}'),
        ("integrity_flags", "[[1]]"),
        ("ai_reasoning", "[1, 2]"),
        ("skill_boundary_map", '{"python": "a\\u0000b"}'),
        ("strengths", '["nul \\u0000 inside"]'),
    ],
)
def test_json_fields_are_checked_like_the_api(admin_site, field, value):
    interview = InterviewFactory(completed=True)
    response = admin_site.post(reverse(ADD), assessment_form(interview, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not AssessmentResult.objects.exists()


def test_change_assessment_keeps_its_interview(admin_site):
    assessment = AssessmentFactory()
    other = InterviewFactory(completed=True)
    form = assessment_form(other, overall_score="55", skill_scores='{"go": 40}')
    response = admin_site.post(reverse(CHANGE, args=[assessment.pk]), form)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.interview_id != other.pk
    assert (assessment.overall_score, assessment.skill_scores) == (Decimal("55"), {"go": 40.0})


# --- recruiters and query counts --------------------------------------------------------------


def test_recruiter_can_view_and_add_assessments(recruiter_site):
    AssessmentFactory()
    assert recruiter_site.get(reverse(CHANGELIST)).status_code == 200
    assert recruiter_site.get(reverse(ADD)).status_code == 200


def test_recruiter_cannot_open_the_user_admin(recruiter_site):
    assert recruiter_site.get(reverse("admin:accounts_user_changelist")).status_code == 403


# The most queries the list may make, whatever the data (PostgreSQL adds the EXPLAIN of the
# estimated count; SQLite makes one fewer).
# 7, and the list of the organization filter platform admins get.
CHANGELIST_QUERY_BUDGET = 8


def changelist_queries(client: Client) -> int:
    """Count the queries of a list load, after a first load that fills process-wide caches."""
    assert client.get(reverse(CHANGELIST)).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(CHANGELIST)).status_code == 200
    return len(queries)


def test_changelist_queries_do_not_grow_with_rows(admin_site):
    AssessmentFactory.create_batch(3)
    with_3 = changelist_queries(admin_site)
    AssessmentFactory.create_batch(27)
    with_30 = changelist_queries(admin_site)
    assert with_30 == with_3 <= CHANGELIST_QUERY_BUDGET


# --- the skill progression chart (candidate page) ---------------------------------------------


def point(day: int, **skill_scores) -> ProgressPoint:
    return ProgressPoint(
        label=f"2025-01-{day:02d}", title=f"2025-01-{day:02d}, interview", skill_scores=skill_scores
    )


def lines_of(chart: str) -> dict[str, list[tuple[float, float]]]:
    found = re.findall(
        r'<g class="skill-line" data-skill="([^"]+)"><polyline points="([^"]*)"', chart
    )
    return {
        skill: [tuple(map(float, pair.split(","))) for pair in points.split()]
        for skill, points in found
    }


def test_progression_chart_draws_a_line_per_skill_in_point_order():
    chart = str(progression_chart([point(1, python=20, sql=60), point(2, python=80)]))
    lines = lines_of(chart)
    assert set(lines) == {"python", "sql"}
    (x1, y1), (x2, y2) = lines["python"]
    assert x1 < x2
    assert y1 > y2  # 80 is drawn higher than 20
    assert y1 == PLOT_TOP + PLOT_HEIGHT * 0.8
    assert len(lines["sql"]) == 1
    assert chart.count('class="legend-entry"') == 2
    assert "<title>python: 80 (2025-01-02, interview)</title>" in chart
    assert ">2025-01-01</text>" in chart and ">2025-01-02</text>" in chart
    assert "<script" not in chart


def test_progression_chart_clamps_scores_and_skips_unreadable_ones():
    chart = str(progression_chart([point(1, python=140, css=-5, vibes="lots", odd=None)]))
    lines = lines_of(chart)
    assert set(lines) == {"python", "css"}
    assert lines["python"][0][1] == PLOT_TOP
    assert lines["css"][0][1] == PLOT_TOP + PLOT_HEIGHT


def test_progression_chart_shows_the_most_measured_skills_and_counts_the_rest():
    many = {f"skill{number:02d}": 50 for number in range(MAX_LINES + 3)}
    chart = str(progression_chart([point(1, **many), point(2, skill12=70)]))
    lines = lines_of(chart)
    assert len(lines) == MAX_LINES
    assert "skill12" in lines  # measured twice: shown first
    assert "and 3 more skill(s)" in chart


def test_progression_chart_escapes_labels_and_names():
    chart = str(
        progression_chart(
            [ProgressPoint(label="<i>d</i>", title='"><script>', skill_scores={"<b>x</b>": 5})]
        )
    )
    assert "<script>" not in chart and "<b>" not in chart and "<i>" not in chart
    assert "&lt;b&gt;x&lt;/b&gt;" in chart


def test_progression_chart_thins_axis_labels():
    chart = str(progression_chart([point(day, python=day) for day in range(1, 26)]))
    assert chart.count('class="x-label"') <= 12


def test_progression_chart_without_scores_says_so():
    assert "No skill scores" in str(progression_chart([]))
    assert "No skill scores" in str(progression_chart([point(1)]))
