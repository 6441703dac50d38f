"""purge_deleted without --older-than: each organization's retention_days decides."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organization, User
from accounts.tests.factories import OrganizationFactory, UserFactory
from interviews.models import Candidate
from interviews.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def deleted_days_ago(row, days: int):
    row.deleted_at = timezone.now() - timedelta(days=days)
    row.save()
    return row


def test_each_organization_keeps_its_deleted_rows_for_its_own_retention():
    default = Organization.objects.default()  # 30 days
    brief = OrganizationFactory(retention_days=7)
    kept_here = deleted_days_ago(CandidateFactory(organization=default), 10)
    gone_here = deleted_days_ago(CandidateFactory(organization=default), 40)
    gone_there = deleted_days_ago(CandidateFactory(organization=brief), 10)
    kept_there = deleted_days_ago(CandidateFactory(organization=brief), 3)
    member = deleted_days_ago(UserFactory(role=User.Role.RECRUITER, organization=brief), 10)
    loner = deleted_days_ago(UserFactory(role=User.Role.CANDIDATE), 10)  # default's 30 days

    call_command("purge_deleted", stdout=StringIO())

    remaining = set(Candidate.all_objects.values_list("pk", flat=True))
    assert remaining == {kept_here.pk, kept_there.pk}
    assert gone_here.pk not in remaining and gone_there.pk not in remaining
    assert not User.all_objects.filter(pk=member.pk).exists()
    assert User.all_objects.filter(pk=loner.pk).exists()


def test_older_than_overrides_every_organizations_retention():
    brief = OrganizationFactory(retention_days=7)
    young = deleted_days_ago(CandidateFactory(organization=brief), 10)

    output = StringIO()
    call_command("purge_deleted", "--older-than", "20", "--dry-run", stdout=output)
    call_command("purge_deleted", "--older-than", "20", stdout=StringIO())

    assert "interviews.Candidate: would delete 0" in output.getvalue()
    assert Candidate.all_objects.filter(pk=young.pk).exists()
