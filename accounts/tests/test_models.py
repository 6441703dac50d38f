"""The User model: normalisation, derived flags, managers, and the invariants the database holds."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.emails import normalize_email
from accounts.models import Organization, User
from accounts.tests.factories import OrganizationFactory, UserFactory, default_organization_for

pytestmark = pytest.mark.django_db


def violates(constraint: str):
    """Expect an IntegrityError naming `constraint` (both backends put the name in the message)."""
    return pytest.raises(IntegrityError, match=constraint)


def user_row(**fields) -> dict:
    """The columns of a valid candidate row, for writes that bypass factories."""
    return {"email": "row@example.com", "full_name": "Row Person", "role": "candidate", **fields}


# --- normalisation and derived flags ----------------------------------------------------------


def test_normalize_email_trims_and_lower_cases_the_whole_address():
    assert normalize_email("  Mixed.Case@Example.COM \n") == "mixed.case@example.com"
    assert normalize_email(None) == ""


def test_save_stores_the_email_normalised():
    user = User.objects.create(email=" Someone@Example.COM ", full_name="Some One")
    user.refresh_from_db()
    assert user.email == "someone@example.com"


@pytest.mark.parametrize(
    ("role", "is_staff", "is_superuser"),
    [
        (User.Role.ADMIN, True, True),
        (User.Role.OWNER, True, False),
        (User.Role.RECRUITER, True, False),
        (User.Role.ENGINE, False, False),
        (User.Role.CANDIDATE, False, False),
    ],
)
def test_staff_and_superuser_flags_follow_the_role(role, is_staff, is_superuser):
    user = User.objects.create(
        email="flags@example.com",
        full_name="Flag Bearer",
        role=role,
        is_staff=not is_staff,
        organization=default_organization_for(role),
    )
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (is_staff, is_superuser)


@pytest.mark.parametrize("role", User.ORGANIZATION_ROLES)
def test_owners_recruiters_and_engines_must_belong_to_an_organization(role):
    with pytest.raises(IntegrityError, match="organization_matches_role"), transaction.atomic():
        User.objects.create(email="lost@example.com", full_name="No Team", role=role)
    assert not User.all_objects.filter(email="lost@example.com").exists()


@pytest.mark.parametrize("role", [User.Role.ADMIN, User.Role.CANDIDATE])
def test_admins_and_candidates_belong_to_no_organization(role):
    with pytest.raises(IntegrityError, match="organization_matches_role"), transaction.atomic():
        User.objects.create(
            email="tied@example.com",
            full_name="Tied Up",
            role=role,
            organization=Organization.objects.default(),
        )
    assert not User.all_objects.filter(email="tied@example.com").exists()


def test_a_member_of_a_suspended_organization_cannot_log_in():
    organization = OrganizationFactory()
    user = UserFactory(role=User.Role.RECRUITER, organization=organization)
    assert user.can_log_in
    organization.status = Organization.Status.SUSPENDED
    organization.save()
    user = User.objects.select_related("organization").get(pk=user.pk)
    assert not user.can_log_in


def test_saving_only_the_role_also_saves_the_derived_flags():
    user = UserFactory(role=User.Role.CANDIDATE)
    user.role = User.Role.ADMIN
    user.save(update_fields=["role"])
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser


def test_create_user_normalises_email_and_defaults_to_active_candidate():
    user = User.objects.create_user(
        email="New.User@Example.com", password="a-long-passphrase", full_name="New User"
    )
    assert user.email == "new.user@example.com"
    assert user.role == User.Role.CANDIDATE
    assert user.account_status == User.AccountStatus.ACTIVE
    assert user.check_password("a-long-passphrase")


def test_create_user_refuses_an_email_a_live_user_has_in_any_case():
    UserFactory(email="taken@example.com")
    with pytest.raises(ValidationError) as error:
        User.objects.create_user(email="TAKEN@Example.com", password="x" * 12, full_name="Two")
    assert "email" in error.value.message_dict
    assert User.all_objects.count() == 1


def test_create_user_accepts_the_email_of_a_soft_deleted_user():
    UserFactory(email="taken@example.com", deleted_at=timezone.now())
    user = User.objects.create_user(email="taken@example.com", password="x" * 12, full_name="Two")
    assert User.objects.get() == user


def test_create_user_without_email_is_refused():
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user(email="", password="a-long-passphrase", full_name="No Mail")


def test_create_superuser_is_an_admin_whatever_role_is_given():
    user = User.objects.create_superuser(
        email="boss@example.com", password="a-long-passphrase", full_name="The Boss", role="engine"
    )
    assert user.role == User.Role.ADMIN
    assert user.is_staff and user.is_superuser


def test_create_user_rejects_a_time_zone_that_is_not_iana():
    with pytest.raises(ValidationError) as error:
        User.objects.create_user(
            email="tz@example.com",
            password="x" * 12,
            full_name="Tz Person",
            timezone="Mars/Olympus",
        )
    assert "timezone" in error.value.message_dict
    assert not User.all_objects.filter(email="tz@example.com").exists()


def test_create_user_rejects_an_unknown_language():
    with pytest.raises(ValidationError) as error:
        User.objects.create_user(
            email="lang@example.com", password="x" * 12, full_name="Lang Person", language="xx"
        )
    assert "language" in error.value.message_dict


def test_get_by_natural_key_ignores_case_and_deleted_users():
    user = UserFactory(email="natural@example.com")
    assert User.objects.get_by_natural_key("NATURAL@Example.com") == user
    User.all_objects.filter(pk=user.pk).update(deleted_at=timezone.now())
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("natural@example.com")


# --- managers and state -----------------------------------------------------------------------


def test_default_manager_hides_soft_deleted_users_and_all_objects_sees_them():
    live = UserFactory()
    deleted = UserFactory(deleted_at=timezone.now())
    assert list(User.objects.all()) == [live]
    assert set(User.all_objects.all()) == {live, deleted}
    assert list(User.all_objects.deleted()) == [deleted]
    assert list(User.all_objects.live()) == [live]


def test_locked_queryset_and_is_locked_only_count_running_lockouts():
    now = timezone.now()
    running = UserFactory(locked_until=now + timedelta(minutes=5))
    expired = UserFactory(locked_until=now - timedelta(minutes=5))
    never = UserFactory()
    assert list(User.objects.locked()) == [running]
    assert running.is_locked()
    assert not expired.is_locked()
    assert not never.is_locked()


@pytest.mark.parametrize(
    ("fields", "can_log_in"),
    [
        ({}, True),
        ({"account_status": User.AccountStatus.SUSPENDED}, False),
        ({"account_status": User.AccountStatus.PENDING_VERIFICATION}, False),
        ({"is_active": False}, False),
        ({"deleted_at": timezone.now()}, False),
    ],
)
def test_only_active_live_accounts_can_log_in(fields, can_log_in):
    assert UserFactory(**fields).can_log_in is can_log_in


def test_search_matches_email_or_name_case_insensitively():
    by_email = UserFactory(email="findme@example.com", full_name="Alpha Person")
    by_name = UserFactory(email="other@example.com", full_name="Findme Later")
    UserFactory(email="nobody@example.com", full_name="Nobody Here")
    assert set(User.objects.search("FINDME")) == {by_email, by_name}


# --- database constraints (writes that skip save() and validation) -----------------------------


def test_duplicate_live_email_is_rejected_by_the_database():
    UserFactory(email="dup@example.com")
    with transaction.atomic(), violates("accounts_user_email_live_unique"):
        User.objects.create(**user_row(email="dup@example.com"))


def test_case_variant_of_a_live_email_is_rejected_by_the_database():
    UserFactory(email="dup@example.com")
    # save() lower-cases, so the variant collides with the unique index on Lower(email).
    with transaction.atomic(), violates("accounts_user_email_live_unique"):
        User.objects.create(**user_row(email="DUP@Example.COM"))


def test_update_that_stores_an_upper_case_email_is_rejected_by_the_database():
    user = UserFactory(email="lower@example.com")
    with transaction.atomic(), violates("accounts_user_email_normalised"):
        User.all_objects.filter(pk=user.pk).update(email="Lower@Example.com")


def test_update_to_another_live_users_email_is_rejected_by_the_database():
    UserFactory(email="taken@example.com")
    other = UserFactory(email="free@example.com")
    with transaction.atomic(), violates("accounts_user_email_live_unique"):
        User.all_objects.filter(pk=other.pk).update(email="taken@example.com")


def test_email_of_a_soft_deleted_user_can_be_used_again():
    first = UserFactory(email="again@example.com")
    User.all_objects.filter(pk=first.pk).update(deleted_at=timezone.now())
    second = User.objects.create(**user_row(email="again@example.com"))
    User.all_objects.filter(pk=second.pk).update(deleted_at=timezone.now())
    third = User.objects.create(**user_row(email="again@example.com"))
    assert User.all_objects.filter(email="again@example.com").count() == 3
    assert list(User.objects.with_email("again@example.com")) == [third]


def test_restoring_a_deleted_user_whose_email_is_live_again_is_rejected_by_the_database():
    deleted = UserFactory(email="back@example.com", deleted_at=timezone.now())
    UserFactory(email="back@example.com")
    with transaction.atomic(), violates("accounts_user_email_live_unique"):
        User.all_objects.filter(pk=deleted.pk).update(deleted_at=None)


@pytest.mark.parametrize(
    ("column", "constraint"),
    [
        ("failed_login_attempts", "accounts_user_failed_login_attempts_non_negative"),
        ("login_count", "accounts_user_login_count_non_negative"),
    ],
)
def test_negative_counters_are_rejected_by_the_database(column, constraint):
    user = UserFactory()
    with transaction.atomic(), violates(constraint):
        User.all_objects.filter(pk=user.pk).update(**{column: -1})
    with transaction.atomic(), violates(constraint):
        User.objects.create(**user_row(**{column: -1}))


def test_zero_counters_are_accepted():
    user = UserFactory(failed_login_attempts=3, login_count=2)
    User.all_objects.filter(pk=user.pk).update(failed_login_attempts=0, login_count=0)
    user.refresh_from_db()
    assert (user.failed_login_attempts, user.login_count) == (0, 0)


@pytest.mark.parametrize(
    ("role", "flags", "constraint"),
    [
        ("admin", {"is_staff": False}, "accounts_user_staff_matches_role"),
        ("admin", {"is_superuser": False}, "accounts_user_superuser_matches_role"),
        ("recruiter", {"is_staff": False}, "accounts_user_staff_matches_role"),
        ("recruiter", {"is_superuser": True}, "accounts_user_superuser_matches_role"),
        ("engine", {"is_staff": True}, "accounts_user_staff_matches_role"),
        ("candidate", {"is_staff": True}, "accounts_user_staff_matches_role"),
        ("candidate", {"is_superuser": True}, "accounts_user_superuser_matches_role"),
    ],
)
def test_staff_and_superuser_flags_that_contradict_the_role_are_rejected(role, flags, constraint):
    user = UserFactory(role=role)
    with transaction.atomic(), violates(constraint):
        User.all_objects.filter(pk=user.pk).update(**flags)


def test_changing_the_role_without_the_flags_is_rejected_by_the_database():
    admin = UserFactory(role=User.Role.ADMIN)
    with transaction.atomic(), violates("accounts_user_(staff|superuser)_matches_role"):
        User.all_objects.filter(pk=admin.pk).update(role=User.Role.CANDIDATE)


def test_unknown_role_is_rejected_by_the_database():
    user = UserFactory()
    with transaction.atomic(), violates("accounts_user_role_valid"):
        User.all_objects.filter(pk=user.pk).update(role="wizard")
    with transaction.atomic(), violates("accounts_user_role_valid"):
        User.objects.create(**user_row(role="wizard"))


def test_unknown_account_status_is_rejected_by_the_database():
    user = UserFactory()
    with transaction.atomic(), violates("accounts_user_account_status_valid"):
        User.all_objects.filter(pk=user.pk).update(account_status="banned")
    with transaction.atomic(), violates("accounts_user_account_status_valid"):
        User.objects.create(**user_row(account_status="banned"))


def test_one_character_full_name_is_rejected_by_the_database():
    user = UserFactory()
    with transaction.atomic(), violates("accounts_user_full_name_length"):
        User.all_objects.filter(pk=user.pk).update(full_name="A")


def test_rejected_writes_leave_the_row_unchanged():
    user = UserFactory(role=User.Role.RECRUITER, email="same@example.com")
    with transaction.atomic(), pytest.raises(IntegrityError):
        User.all_objects.filter(pk=user.pk).update(role="wizard")
    user.refresh_from_db()
    assert (user.role, user.email, user.is_staff) == ("recruiter", "same@example.com", True)
