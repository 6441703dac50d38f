"""No admin takes its own access away, and no change leaves the platform without an active
admin: through the API, the admin site and the services, also under concurrency."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from accounts import services
from accounts.models import AccessToken, User
from accounts.tests.factories import UserFactory
from conftest import client_for
from core.errors import ConflictError

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:accounts_user_changelist"


def detail(user: User) -> str:
    return reverse("user-detail", args=[user.pk])


def assert_still_an_active_admin(user: User) -> None:
    user = User.all_objects.get(pk=user.pk)
    assert (user.role, user.account_status, user.deleted_at) == ("admin", "active", None)


# --- API --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"role": "candidate"}, "self_demotion"),
        ({"role": "recruiter"}, "self_demotion"),
        ({"account_status": "suspended"}, "self_suspension"),
        ({"account_status": "pending_verification"}, "self_suspension"),
        ({"role": "recruiter", "account_status": "suspended"}, "self_demotion"),
    ],
)
def test_admin_cannot_demote_or_suspend_itself_through_the_api(admin_api, admin_user, change, code):
    UserFactory(role=User.Role.ADMIN)  # another admin exists: this is about oneself

    response = admin_api.patch(detail(admin_user), change)

    assert response.status_code == 409
    assert response.json()["code"] == code
    assert set(response.json()) == {"detail", "code"}
    assert_still_an_active_admin(admin_user)
    assert admin_api.get(reverse("auth-me")).status_code == 200


def test_admin_may_still_edit_its_own_name_and_keep_its_role(admin_api, admin_user):
    response = admin_api.patch(
        detail(admin_user), {"full_name": "Still In Charge", "role": "admin"}
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Still In Charge"
    assert_still_an_active_admin(admin_user)


def test_admin_cannot_delete_itself_through_the_api(admin_api, admin_user):
    response = admin_api.delete(detail(admin_user))
    assert response.status_code == 409
    assert response.json() == {
        "detail": "You cannot delete your own account.",
        "code": "self_delete",
    }
    assert_still_an_active_admin(admin_user)


def test_admin_may_demote_suspend_and_delete_other_admins(admin_api, admin_user):
    demoted, suspended, deleted = (UserFactory(role=User.Role.ADMIN) for _ in range(3))
    assert admin_api.patch(detail(demoted), {"role": "recruiter"}).status_code == 200
    assert admin_api.patch(detail(suspended), {"account_status": "suspended"}).status_code == 200
    assert admin_api.delete(detail(deleted)).status_code == 204
    assert User.objects.get(pk=demoted.pk).role == "recruiter"
    assert not AccessToken.objects.filter(user=suspended).exists()


# --- the services: the one home of the rule ---------------------------------------------------


def test_no_change_may_leave_the_platform_without_an_active_admin():
    only = UserFactory(role=User.Role.ADMIN)
    UserFactory(role=User.Role.ADMIN, account_status=User.AccountStatus.SUSPENDED)
    for change in (
        {"role": User.Role.RECRUITER},
        {"account_status": User.AccountStatus.SUSPENDED},
        {"account_status": User.AccountStatus.PENDING_VERIFICATION},
        {"is_active": False},
    ):
        with pytest.raises(ConflictError) as refused:
            services.user_update(user=only, **change)
        assert refused.value.code == "last_active_admin", change
    with pytest.raises(ConflictError) as refused:
        services.user_soft_delete(user=only)
    assert refused.value.code == "last_active_admin"
    assert_still_an_active_admin(only)


def test_the_last_active_admin_may_change_anything_else():
    only = UserFactory(role=User.Role.ADMIN)
    services.user_update(user=only, full_name="Only One", role=User.Role.ADMIN)
    assert User.objects.get(pk=only.pk).full_name == "Only One"


def test_reinstating_an_admin_is_never_refused():
    only = UserFactory(role=User.Role.ADMIN)
    suspended = UserFactory(role=User.Role.ADMIN, account_status=User.AccountStatus.SUSPENDED)
    services.user_update(user=suspended, by=only, account_status=User.AccountStatus.ACTIVE)
    services.user_update(user=only, account_status=User.AccountStatus.SUSPENDED)
    assert_still_an_active_admin(suspended)


@pytest.mark.postgres
@pytest.mark.pgbouncer
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["demote", "suspend", "delete"])
def test_two_admins_taking_each_other_out_at_once_leave_one(change):
    first, second = UserFactory(role=User.Role.ADMIN), UserFactory(role=User.Role.ADMIN)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def take_out(target: User, by: User) -> None:
        try:
            barrier.wait(timeout=30)
            if change == "delete":
                services.user_soft_delete(user=target, by=by)
            else:
                fields = (
                    {"role": User.Role.CANDIDATE}
                    if change == "demote"
                    else {"account_status": User.AccountStatus.SUSPENDED}
                )
                services.user_update(user=target, by=by, **fields)
            outcomes[str(target.pk)] = "done"
        except ConflictError as refused:
            outcomes[str(target.pk)] = refused.code
        except BaseException as error:
            outcomes[str(target.pk)] = repr(error)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=take_out, args=(first, second)),
        threading.Thread(target=take_out, args=(second, first)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(outcomes.values()) == ["done", "last_active_admin"], outcomes
    assert User.objects.filter(services.ACTIVE_ADMINS).count() == 1


# --- the admin site ---------------------------------------------------------------------------


@pytest.fixture
def boss(staff_admin) -> User:
    """The admin logged into `admin_site` (the root conftest's)."""
    return staff_admin


def change_form(user: User, **changes) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "timezone": user.timezone,
        "language": user.language,
        "role": user.role,
        "account_status": user.account_status,
        **changes,
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"role": "recruiter"}, "You cannot take away your own admin role."),
        ({"account_status": "suspended"}, "You cannot suspend or deactivate your own account."),
    ],
)
def test_admin_cannot_demote_or_suspend_itself_on_the_change_page(
    admin_site, boss, change, message
):
    UserFactory(role=User.Role.ADMIN)
    response = admin_site.post(
        reverse("admin:accounts_user_change", args=[boss.pk]), change_form(boss, **change)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["adminform"].form.non_field_errors() == [message]
    assert_still_an_active_admin(boss)
    assert admin_site.get(reverse(CHANGELIST)).status_code == 200


def test_admin_change_page_still_demotes_another_admin(admin_site):
    other = UserFactory(role=User.Role.ADMIN)
    response = admin_site.post(
        reverse("admin:accounts_user_change", args=[other.pk]),
        change_form(other, role="recruiter"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=other.pk).role == "recruiter"


def test_admin_bulk_delete_spares_itself_and_says_why(admin_site, boss):
    other = UserFactory(role=User.Role.ADMIN)
    response = admin_site.post(
        reverse(CHANGELIST),
        {
            "action": "delete_selected",
            "_selected_action": [str(boss.pk), str(other.pk)],
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "You cannot delete your own account." in response.content.decode()
    assert_still_an_active_admin(boss)
    assert User.all_objects.get(pk=other.pk).deleted_at is not None


def test_admin_api_and_admin_site_share_one_rule(admin_site, boss):
    # The form refuses what the service refuses: the same message on both ways in.
    api = client_for(boss).patch(detail(boss), {"role": "recruiter"})
    page = admin_site.post(
        reverse("admin:accounts_user_change", args=[boss.pk]), change_form(boss, role="recruiter")
    )
    assert api.json()["detail"] in page.content.decode()
