"""core.rows: a locked field update writes only its fields (and updated_at), on any app's row."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.rows import update_locked
from interviews.models import InterviewMessage
from interviews.tests.factories import InterviewMessageFactory

pytestmark = pytest.mark.django_db


def test_update_locked_keeps_what_others_wrote_meanwhile():
    user = UserFactory(full_name="Old Name")
    stale = User.objects.get(pk=user.pk)
    User.all_objects.filter(pk=user.pk).update(login_count=7)

    updated = update_locked(stale, full_name="New Name")

    assert updated.full_name == "New Name"
    user.refresh_from_db()
    assert (user.full_name, user.login_count) == ("New Name", 7)
    assert user.updated_at >= stale.updated_at


def test_update_locked_writes_only_the_given_columns_and_updated_at():
    user = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        update_locked(user, full_name="Someone Else")
    (update,) = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    assert "full_name" in update and "updated_at" in update
    assert "login_count" not in update and "email" not in update


def test_update_locked_finds_soft_deleted_rows():
    user = UserFactory(deleted_at="2026-01-01T00:00:00Z")
    assert update_locked(user, full_name="Still Here").full_name == "Still Here"


def test_update_locked_on_a_model_without_updated_at():
    message = InterviewMessageFactory(tokens_used=1)
    update_locked(message, tokens_used=5, cost_usd=Decimal("0.5"))
    assert InterviewMessage.objects.get(pk=message.pk).tokens_used == 5
