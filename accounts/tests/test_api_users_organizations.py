"""users/ and auth/me/ with organizations: admins place users in any organization, owners manage
their own organization's owners, recruiters and engines and nothing else (SPEC section 9)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organization, User
from accounts.tests.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from conftest import client_for

pytestmark = pytest.mark.django_db

NEW_USER = {
    "email": "new.hire@example.com",
    "password": "a-sturdy-passphrase-7",
    "full_name": "New Hire",
    "role": "recruiter",
}


def detail(user: User) -> str:
    return reverse("user-detail", args=[user.pk])


def emails(response) -> set[str]:
    return {row["email"] for row in response.json()["results"]}


def snapshot() -> list[tuple]:
    """Every account as stored, deleted ones included, to prove a refusal changed nothing."""
    return list(
        User.all_objects.order_by("pk").values_list(
            "pk", "email", "full_name", "role", "organization_id", "account_status", "deleted_at"
        )
    )


@pytest.fixture
def acme(db) -> Organization:
    return OrganizationFactory(name="Acme", slug="acme")


@pytest.fixture
def globex(db) -> Organization:
    return OrganizationFactory(name="Globex", slug="globex")


@pytest.fixture
def acme_owner(acme) -> User:
    return UserFactory(role=User.Role.OWNER, organization=acme, email="owner@acme.test")


@pytest.fixture
def owner_api(acme_owner) -> APIClient:
    return client_for(acme_owner)


@pytest.fixture
def acme_recruiter(acme) -> User:
    return UserFactory(role=User.Role.RECRUITER, organization=acme, email="recruiter@acme.test")


@pytest.fixture
def outsiders(globex) -> dict[str, User]:
    """Accounts an Acme owner may not see: another organization's staff, admins, candidates."""
    return {
        "globex recruiter": UserFactory(role=User.Role.RECRUITER, organization=globex),
        "globex owner": UserFactory(role=User.Role.OWNER, organization=globex),
        "admin": UserFactory(role=User.Role.ADMIN),
        "candidate": UserFactory(role=User.Role.CANDIDATE),
        "default engine": UserFactory(role=User.Role.ENGINE),
    }


# --- admins -------------------------------------------------------------------------------------


def test_admin_creates_a_user_in_any_organization(admin_api, globex):
    response = admin_api.post(reverse("user-list"), {**NEW_USER, "organization": str(globex.pk)})
    assert response.status_code == 201
    assert response.json()["organization"] == str(globex.pk)
    assert User.objects.get(email="new.hire@example.com").organization == globex


@pytest.mark.parametrize("role", ["owner", "recruiter", "engine"])
def test_admin_omitting_the_organization_of_a_staff_role_gets_default(admin_api, role):
    response = admin_api.post(reverse("user-list"), {**NEW_USER, "role": role})
    assert response.status_code == 201
    default = Organization.objects.default()
    assert response.json()["organization"] == str(default.pk)
    assert User.objects.get(email="new.hire@example.com").organization == default


@pytest.mark.parametrize("role", ["admin", "candidate"])
def test_admins_and_candidates_are_created_without_an_organization(admin_api, role):
    response = admin_api.post(reverse("user-list"), {**NEW_USER, "role": role})
    assert response.status_code == 201
    assert response.json()["organization"] is None


@pytest.mark.parametrize("role", ["admin", "candidate"])
def test_an_organization_given_to_an_admin_or_candidate_is_400(admin_api, globex, role):
    before = snapshot()
    response = admin_api.post(
        reverse("user-list"), {**NEW_USER, "role": role, "organization": str(globex.pk)}
    )
    assert response.status_code == 400
    assert "organization" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize("organization", ["0b5e3a52-6c1d-4f39-9d1e-2f0f1c7b9a11", "not-a-uuid", 12])
def test_an_unknown_organization_is_400(admin_api, organization):
    before = snapshot()
    response = admin_api.post(reverse("user-list"), {**NEW_USER, "organization": organization})
    assert response.status_code == 400
    assert "organization" in response.json()
    assert snapshot() == before


def test_admin_lists_every_organizations_users_and_filters_by_organization(
    admin_api, acme_recruiter, outsiders, globex
):
    everyone = emails(admin_api.get(reverse("user-list"), {"page_size": 100}))
    assert {acme_recruiter.email, *(user.email for user in outsiders.values())} <= everyone
    filtered = admin_api.get(reverse("user-list"), {"organization": str(globex.pk)})
    assert filtered.status_code == 200
    assert emails(filtered) == {
        outsiders["globex recruiter"].email,
        outsiders["globex owner"].email,
    }
    row = next(r for r in filtered.json()["results"] if r["role"] == "recruiter")
    assert row["organization"] == str(globex.pk)


def test_admin_moves_a_user_to_another_organization(admin_api, acme_recruiter, globex):
    response = admin_api.patch(detail(acme_recruiter), {"organization": str(globex.pk)})
    assert response.status_code == 200
    acme_recruiter.refresh_from_db()
    assert acme_recruiter.organization == globex


@pytest.mark.parametrize("role", ["engine", "owner"])
def test_a_role_change_between_organization_roles_keeps_the_organization(
    admin_api, acme, acme_recruiter, role
):
    response = admin_api.patch(detail(acme_recruiter), {"role": role})
    assert response.status_code == 200
    assert response.json()["organization"] == str(acme.pk)
    acme_recruiter.refresh_from_db()
    assert (acme_recruiter.role, acme_recruiter.organization) == (role, acme)


@pytest.mark.parametrize("role", ["admin", "candidate"])
def test_a_role_change_to_admin_or_candidate_clears_the_organization(
    admin_api, acme_recruiter, role
):
    response = admin_api.patch(detail(acme_recruiter), {"role": role})
    assert response.status_code == 200
    assert response.json()["organization"] is None
    acme_recruiter.refresh_from_db()
    assert (acme_recruiter.role, acme_recruiter.organization_id) == (role, None)


def test_a_candidate_promoted_to_recruiter_lands_in_the_organization_given(admin_api, globex):
    candidate = UserFactory(role=User.Role.CANDIDATE)
    response = admin_api.patch(
        detail(candidate), {"role": "recruiter", "organization": str(globex.pk)}
    )
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert (candidate.role, candidate.organization) == ("recruiter", globex)


def test_an_organization_given_to_an_existing_candidate_is_400(admin_api, globex):
    candidate = UserFactory(role=User.Role.CANDIDATE)
    before = snapshot()
    response = admin_api.patch(detail(candidate), {"organization": str(globex.pk)})
    assert response.status_code == 400
    assert "organization" in response.json()
    assert snapshot() == before


# --- owners -------------------------------------------------------------------------------------


def test_an_owner_lists_only_its_organizations_staff(
    owner_api, acme_owner, acme_recruiter, outsiders, django_assert_max_num_queries
):
    engine = UserFactory(role=User.Role.ENGINE, organization=acme_owner.organization)
    with django_assert_max_num_queries(6):
        response = owner_api.get(reverse("user-list"))
    assert response.status_code == 200
    assert emails(response) == {acme_owner.email, acme_recruiter.email, engine.email}
    assert response.json()["count"] == 3
    assert {row["organization"] for row in response.json()["results"]} == {
        str(acme_owner.organization_id)
    }


def test_an_owner_filtering_on_another_organization_sees_nobody(owner_api, outsiders, globex):
    response = owner_api.get(reverse("user-list"), {"organization": str(globex.pk)})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    "who", ["globex recruiter", "globex owner", "admin", "candidate", "default engine"]
)
def test_users_outside_the_owners_organization_are_404_to_it(owner_api, outsiders, who):
    target = outsiders[who]
    before = snapshot()
    assert owner_api.get(detail(target)).status_code == 404
    assert owner_api.patch(detail(target), {"full_name": "Taken Over"}).status_code == 404
    assert owner_api.put(detail(target), {**NEW_USER, "email": target.email}).status_code == 404
    assert owner_api.delete(detail(target)).status_code == 404
    assert owner_api.post(reverse("user-unlock", args=[target.pk])).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("organization", [None, "own"])
@pytest.mark.parametrize("role", ["owner", "recruiter", "engine"])
def test_an_owner_creates_staff_in_its_own_organization(owner_api, acme, role, organization):
    payload = {**NEW_USER, "role": role}
    if organization == "own":
        payload["organization"] = str(acme.pk)
    response = owner_api.post(reverse("user-list"), payload)
    assert response.status_code == 201
    assert response.json()["organization"] == str(acme.pk)
    created = User.objects.get(email="new.hire@example.com")
    assert (created.role, created.organization) == (role, acme)


def test_an_owner_naming_another_organization_is_400(owner_api, globex):
    before = snapshot()
    response = owner_api.post(reverse("user-list"), {**NEW_USER, "organization": str(globex.pk)})
    assert response.status_code == 400
    assert "organization" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize("role", ["admin", "candidate"])
def test_an_owner_may_not_create_admins_or_candidates(owner_api, role):
    before = snapshot()
    response = owner_api.post(reverse("user-list"), {**NEW_USER, "role": role})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert snapshot() == before


def test_an_owner_must_name_the_role(owner_api):
    before = snapshot()
    payload = {key: value for key, value in NEW_USER.items() if key != "role"}
    response = owner_api.post(reverse("user-list"), payload)
    assert response.status_code == 400
    assert "role" in response.json()
    assert snapshot() == before


def test_an_owner_changes_its_staffs_role_and_status(owner_api, acme, acme_recruiter):
    response = owner_api.patch(
        detail(acme_recruiter), {"role": "engine", "account_status": "suspended"}
    )
    assert response.status_code == 200
    acme_recruiter.refresh_from_db()
    assert (acme_recruiter.role, acme_recruiter.account_status) == ("engine", "suspended")
    assert acme_recruiter.organization == acme


@pytest.mark.parametrize("role", ["admin", "candidate"])
def test_an_owner_may_not_turn_its_staff_into_admins_or_candidates(owner_api, acme_recruiter, role):
    before = snapshot()
    response = owner_api.patch(detail(acme_recruiter), {"role": role})
    assert response.status_code == 403
    assert snapshot() == before


def test_an_owner_may_not_move_its_staff_to_another_organization(owner_api, acme_recruiter, globex):
    before = snapshot()
    response = owner_api.patch(detail(acme_recruiter), {"organization": str(globex.pk)})
    assert response.status_code == 400
    assert "organization" in response.json()
    assert snapshot() == before


def test_an_owner_may_not_demote_or_delete_itself(owner_api, acme_owner):
    before = snapshot()
    demotion = owner_api.patch(detail(acme_owner), {"role": "recruiter"})
    assert demotion.status_code == 409
    assert demotion.json()["code"] == "self_demotion"
    deletion = owner_api.delete(detail(acme_owner))
    assert deletion.status_code == 409
    assert deletion.json()["code"] == "self_delete"
    assert snapshot() == before


def test_an_owner_soft_deletes_restores_and_unlocks_its_staff(owner_api, acme_recruiter):
    assert owner_api.delete(detail(acme_recruiter)).status_code == 204
    assert User.all_objects.get(pk=acme_recruiter.pk).deleted_at is not None
    assert acme_recruiter.email not in emails(owner_api.get(reverse("user-list")))
    restored = owner_api.post(reverse("user-restore", args=[acme_recruiter.pk]))
    assert restored.status_code == 200
    assert User.objects.filter(pk=acme_recruiter.pk).exists()
    assert owner_api.post(reverse("user-unlock", args=[acme_recruiter.pk])).status_code == 200


def test_an_owner_cannot_restore_another_organizations_user(owner_api, outsiders):
    from accounts import services

    target = outsiders["globex recruiter"]
    services.user_soft_delete(user=target)
    assert owner_api.post(reverse("user-restore", args=[target.pk])).status_code == 404
    assert User.all_objects.get(pk=target.pk).deleted_at is not None


def test_an_owners_new_recruiter_logs_in_and_sees_its_organization(owner_api, acme):
    owner_api.post(reverse("user-list"), NEW_USER)
    response = APIClient().post(
        reverse("auth-login"), {"email": NEW_USER["email"], "password": NEW_USER["password"]}
    )
    assert response.status_code == 200
    assert response.json()["user"]["organization"] == str(acme.pk)


# --- who else: 403 ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [User.Role.RECRUITER, User.Role.ENGINE, User.Role.CANDIDATE])
def test_recruiters_engines_and_candidates_may_not_use_users(acme, acme_recruiter, role):
    organization = acme if role != User.Role.CANDIDATE else None
    client = client_for(UserFactory(role=role, organization=organization))
    before = snapshot()
    assert client.get(reverse("user-list")).status_code == 403
    assert client.get(detail(acme_recruiter)).status_code == 403
    assert client.post(reverse("user-list"), NEW_USER).status_code == 403
    assert client.patch(detail(acme_recruiter), {"full_name": "Changed"}).status_code == 403
    assert client.delete(detail(acme_recruiter)).status_code == 403
    assert snapshot() == before


# --- auth/me/ -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "recruiter", "engine"])
def test_me_shows_the_organization_of_staff(acme, role):
    user = UserFactory(role=role, organization=acme)
    response = client_for(user).get(reverse("auth-me"))
    assert response.status_code == 200
    assert response.json()["organization"] == str(acme.pk)


@pytest.mark.parametrize("role", ["admin", "candidate"])
def test_me_shows_no_organization_for_admins_and_candidates(role):
    response = client_for(UserFactory(role=role)).get(reverse("auth-me"))
    assert response.json()["organization"] is None


def test_me_patch_cannot_change_the_organization(acme, globex):
    user = UserFactory(role=User.Role.RECRUITER, organization=acme)
    response = client_for(user).patch(reverse("auth-me"), {"organization": str(globex.pk)})
    assert response.status_code == 200
    assert response.json()["organization"] == str(acme.pk)
    user.refresh_from_db()
    assert user.organization == acme


def test_login_shows_the_organization(acme):
    user = UserFactory(role=User.Role.ENGINE, organization=acme)
    response = APIClient().post(
        reverse("auth-login"), {"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.json()["user"]["organization"] == str(acme.pk)
