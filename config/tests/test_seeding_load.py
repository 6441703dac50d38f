"""The load generator (seed --candidates): its rows obey the apps' rules, serve their filters
and spread over --organizations."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from accounts.models import Organization, User
from assessments.models import AssessmentResult, AssessmentSkillScore
from config.seeding.load import LoadPlan, seed_load_data
from config.tests.tenant_rows import (
    TENANT_MODELS,
    organizations_with_rows,
    rows_off_their_parents_organization,
)
from interviews.models import Candidate, Interview, InterviewMessage, InterviewStatusChange

pytestmark = pytest.mark.django_db


def rows_of(assessment) -> dict[str, float]:
    return dict(
        AssessmentSkillScore.objects.filter(assessment=assessment).values_list("skill", "score")
    )


def test_load_data_writes_the_skill_rows_of_every_assessment(admin_api):
    seed_load_data(LoadPlan(candidates=30, interviews_per_candidate=1, messages_per_interview=2))

    for assessment in AssessmentResult.objects.all():
        assert rows_of(assessment) == {k: float(v) for k, v in assessment.skill_scores.items()}
    high = admin_api.get(
        reverse("assessment-list"), {"skill": "python", "min_skill_score": 90, "page_size": 100}
    ).json()
    expected = [
        str(a.pk) for a in AssessmentResult.objects.all() if a.skill_scores.get("python", -1) >= 90
    ]
    assert sorted(row["id"] for row in high["results"]) == sorted(expected)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_load_data_lands_in_default_unless_told_otherwise():
    seed("--candidates", "4", "--messages-per-interview", "2")

    default = Organization.objects.default()
    assert set(Organization.objects.values_list("slug", flat=True)) == {"default", "acme"}
    for model in TENANT_MODELS:
        assert organizations_with_rows(model) == {default.pk}, model.__name__
    assert set(rows_off_their_parents_organization().values()) == {0}


def test_organizations_3_spreads_the_candidates_and_every_row_under_them_over_3():
    seed("--candidates", "12", "--messages-per-interview", "4", "--organizations", "3")

    slugs = ["default", "org-2", "org-3"]
    organizations = {org.slug: org for org in Organization.objects.filter(slug__in=slugs)}
    assert sorted(organizations) == slugs
    for slug in ("org-2", "org-3"):
        staff = User.objects.filter(organization=organizations[slug])
        assert sorted(staff.values_list("role", flat=True)) == ["engine", "owner", "recruiter"]
    per_organization = Counter(Candidate.objects.values_list("organization__slug", flat=True))
    assert per_organization == dict.fromkeys(slugs, 4)
    ids = {org.pk for org in organizations.values()}
    for model in TENANT_MODELS:
        assert organizations_with_rows(model) == ids, model.__name__
    assert set(rows_off_their_parents_organization().values()) == {0}
    # Each organization's staff see its own third only.
    recruiter = User.objects.get(email="recruiter@org-2.example.com")
    seen = Interview.objects.visible_to(recruiter)
    assert seen.count() == 4
    assert set(seen.values_list("organization_id", flat=True)) == {organizations["org-2"].pk}


def test_a_second_load_with_organizations_creates_nothing():
    seed("--candidates", "6", "--messages-per-interview", "2", "--organizations", "3")
    before = {model.__name__: model._default_manager.count() for model in TENANT_MODELS}
    users = User.objects.count()
    if connection.vendor == "postgresql":
        # Check the deferred foreign keys now, as the first run's commit would have: the test's
        # transaction never commits, and PostgreSQL alters no table with checks pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    output = seed("--candidates", "6", "--messages-per-interview", "2", "--organizations", "3")

    assert {model.__name__: model._default_manager.count() for model in TENANT_MODELS} == before
    assert User.objects.count() == users
    assert Organization.objects.count() == 4  # default, acme, org-2, org-3
    assert "Password" not in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--candidates", "3", "--organizations", "0"], "at least 1"),
        (["--organizations", "2"], "applies to load data"),
    ],
)
def test_bad_organizations_are_refused_and_change_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        seed(*args)
    assert not Candidate.all_objects.exists()
    assert not Organization.objects.filter(slug__startswith="org-").exists()


def test_the_report_and_the_progress_count_every_row_written():
    progress = []

    report = seed_load_data(
        LoadPlan(candidates=7, interviews_per_candidate=2, messages_per_interview=5),
        on_rows=progress.append,
    )

    assert report.rows["messages"] == InterviewMessage.objects.count() == 7 * 2 * 5
    assert report.rows["candidates"] == Candidate.objects.count() == 7
    assert report.rows["status_changes"] == InterviewStatusChange.objects.count()
    assert report.rows["skill_scores"] == AssessmentSkillScore.objects.count()
    assert sum(progress) == report.total_rows
