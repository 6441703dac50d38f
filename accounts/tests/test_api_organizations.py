"""The organizations endpoint: every role against every action, slug conflicts, deleting one in
use, and suspension stopping its members' tokens and admin sessions at once (SPEC section 9)."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AccessToken, Organization, User
from accounts.tests.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from conftest import client_for
from interviews.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

NEW_ORGANIZATION = {"name": "Acme Hiring", "slug": "acme", "retention_days": 60}


def detail(organization: Organization) -> str:
    return reverse("organization-detail", args=[organization.pk])


def snapshot() -> list[tuple]:
    """Every organization as stored, to prove a refused request changed nothing."""
    return list(
        Organization.objects.order_by("pk").values_list(
            "pk", "name", "slug", "status", "retention_days", "updated_at"
        )
    )


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def login(email: str, password: str = DEFAULT_PASSWORD):
    return APIClient().post(reverse("auth-login"), {"email": email, "password": password})


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def admin_login(email: str) -> Client:
    """A browser that logged into the admin through its login page (the real backend)."""
    browser = Client()
    browser.post(reverse("admin:login"), {"username": email, "password": DEFAULT_PASSWORD})
    return browser


@pytest.fixture
def acme(db) -> Organization:
    return OrganizationFactory(name="Acme", slug="acme-corp")


@pytest.fixture
def globex(db) -> Organization:
    return OrganizationFactory(name="Globex", slug="globex")


@pytest.fixture
def acme_owner(acme) -> User:
    return UserFactory(role=User.Role.OWNER, organization=acme)


@pytest.fixture
def owner_api(acme_owner) -> APIClient:
    return client_for(acme_owner)


# --- who may do what ----------------------------------------------------------------------------

ACTIONS = {
    "list": lambda client, target: client.get(reverse("organization-list")),
    "retrieve": lambda client, target: client.get(detail(target)),
    "create": lambda client, target: client.post(reverse("organization-list"), NEW_ORGANIZATION),
    "update": lambda client, target: client.put(
        detail(target), {"name": "Renamed", "slug": "renamed", "retention_days": 5}
    ),
    "partial_update": lambda client, target: client.patch(detail(target), {"name": "Renamed"}),
    "destroy": lambda client, target: client.delete(detail(target)),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [User.Role.RECRUITER, User.Role.ENGINE, User.Role.CANDIDATE])
def test_recruiters_engines_and_candidates_may_not_use_organizations(acme, role, action):
    organization = acme if role != User.Role.CANDIDATE else None
    client = client_for(UserFactory(role=role, organization=organization))
    before = snapshot()
    response = ACTIONS[action](client, acme)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert snapshot() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_callers_get_401_on_every_action(acme, anon_client, action):
    before = snapshot()
    assert ACTIONS[action](anon_client, acme).status_code == 401
    assert snapshot() == before


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("list", 200),
        ("retrieve", 200),
        ("create", 201),
        ("update", 200),
        ("partial_update", 200),
        ("destroy", 204),
    ],
)
def test_admins_may_do_every_action(admin_api, action, expected):
    target = OrganizationFactory()
    assert ACTIONS[action](admin_api, target).status_code == expected


@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("action", ["create", "destroy"])
def test_an_owner_may_not_create_or_delete_organizations(owner_api, acme, globex, action, target):
    before = snapshot()
    # Refused by role before any lookup: the same 403 for its own and another organization.
    response = ACTIONS[action](owner_api, acme if target == "own" else globex)
    assert response.status_code == 403
    assert snapshot() == before
    assert not Organization.objects.filter(slug="acme").exists()


def test_an_owner_lists_only_its_own_organization(owner_api, acme, globex):
    response = owner_api.get(reverse("organization-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert slugs(response) == ["acme-corp"]


def test_an_owner_reads_its_own_organization(owner_api, acme):
    response = owner_api.get(detail(acme))
    assert response.status_code == 200
    assert response.json() == {
        "id": str(acme.pk),
        "name": "Acme",
        "slug": "acme-corp",
        "status": "active",
        "retention_days": 30,
        "created_at": response.json()["created_at"],
        "updated_at": response.json()["updated_at"],
    }


@pytest.mark.parametrize("action", ["retrieve", "partial_update", "update"])
def test_another_organization_is_404_to_an_owner(owner_api, globex, action):
    before = snapshot()
    assert ACTIONS[action](owner_api, globex).status_code == 404
    assert snapshot() == before


def test_another_organizations_slug_change_by_an_owner_is_still_404(owner_api, globex):
    before = snapshot()
    assert owner_api.patch(detail(globex), {"slug": "mine"}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("method", ["patch", "put"])
def test_an_owner_renames_its_own_organization(owner_api, acme, method):
    response = getattr(owner_api, method)(detail(acme), {"name": "Acme Talent"})
    assert response.status_code == 200
    assert response.json()["name"] == "Acme Talent"
    acme.refresh_from_db()
    assert (acme.name, acme.slug, acme.status) == ("Acme Talent", "acme-corp", "active")


@pytest.mark.parametrize(
    "changes",
    [
        {"slug": "acme-new"},
        {"status": "suspended"},
        {"retention_days": 365},
        {"name": "Acme Talent", "status": "active"},  # even an unchanged value is refused
        {"name": "Acme Talent", "slug": "acme-corp"},
    ],
)
def test_an_owner_may_not_change_slug_status_or_retention(owner_api, acme, changes):
    before = snapshot()
    response = owner_api.patch(detail(acme), changes)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert snapshot() == before


def test_an_owner_rename_with_bad_input_is_400_and_changes_nothing(owner_api, acme):
    before = snapshot()
    response = owner_api.patch(detail(acme), {"name": "A"})
    assert response.status_code == 400
    assert "name" in response.json()
    assert snapshot() == before


# --- admins: create, list, change, delete -------------------------------------------------------


def test_admin_creates_an_organization_with_a_lower_case_slug(admin_api):
    response = admin_api.post(
        reverse("organization-list"), {**NEW_ORGANIZATION, "slug": "Acme", "status": "suspended"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["slug"], body["status"], body["retention_days"]) == (
        "Acme Hiring",
        "acme",
        "suspended",
        60,
    )
    stored = Organization.objects.get(pk=body["id"])
    assert (stored.slug, stored.status, stored.retention_days) == ("acme", "suspended", 60)


def test_admin_create_defaults_to_active_and_thirty_days(admin_api):
    response = admin_api.post(reverse("organization-list"), {"name": "Initech", "slug": "initech"})
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["retention_days"]) == ("active", 30)


def test_admin_lists_every_organization_and_filters_by_status(admin_api, acme, globex):
    globex.status = Organization.Status.SUSPENDED
    globex.save()
    everyone = admin_api.get(reverse("organization-list"))
    assert set(slugs(everyone)) >= {"acme-corp", "globex"}
    suspended = admin_api.get(reverse("organization-list"), {"status": "suspended"})
    assert slugs(suspended) == ["globex"]
    found = admin_api.get(reverse("organization-list"), {"search": "glob"})
    assert slugs(found) == ["globex"]


@pytest.mark.parametrize("slug", ["acme-corp", "ACME-Corp"])
def test_create_with_a_taken_slug_in_any_case_is_409(admin_api, acme, slug):
    before = snapshot()
    response = admin_api.post(reverse("organization-list"), {**NEW_ORGANIZATION, "slug": slug})
    assert response.status_code == 409
    assert response.json()["code"] == "slug_taken"
    assert snapshot() == before


def test_changing_to_a_taken_slug_is_409_and_changes_nothing(admin_api, acme, globex):
    before = snapshot()
    response = admin_api.patch(detail(globex), {"slug": "ACME-CORP", "name": "Globex Two"})
    assert response.status_code == 409
    assert response.json()["code"] == "slug_taken"
    assert snapshot() == before


def test_keeping_ones_own_slug_in_another_case_is_not_a_conflict(admin_api, acme):
    response = admin_api.patch(detail(acme), {"slug": "ACME-corp", "name": "Acme Two"})
    assert response.status_code == 200
    acme.refresh_from_db()
    assert (acme.slug, acme.name) == ("acme-corp", "Acme Two")


def test_the_default_organization_keeps_its_slug(admin_api):
    default = Organization.objects.default()
    before = snapshot()
    response = admin_api.patch(detail(default), {"slug": "renamed"})
    assert response.status_code == 400
    assert "slug" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "A"}, "name"),
        ({"name": 12345}, "name"),
        ({"slug": "not a slug"}, "slug"),
        ({"slug": ""}, "slug"),
        ({"slug": "x" * 65}, "slug"),
        ({"status": "frozen"}, "status"),
        ({"retention_days": 0}, "retention_days"),
        ({"retention_days": -3}, "retention_days"),
        ({"retention_days": "many"}, "retention_days"),
        ({"retention_days": True}, "retention_days"),
        ({"retention_days": 36_501}, "retention_days"),
        ({"retention_days": 10**12}, "retention_days"),
    ],
)
def test_create_with_bad_input_is_400_and_creates_nothing(admin_api, changes, field):
    before = snapshot()
    response = admin_api.post(reverse("organization-list"), {**NEW_ORGANIZATION, **changes})
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def test_create_without_name_or_slug_is_400(admin_api):
    before = snapshot()
    response = admin_api.post(reverse("organization-list"), {"retention_days": 7})
    assert response.status_code == 400
    assert {"name", "slug"} <= set(response.json())
    assert snapshot() == before


def test_admin_deletes_an_empty_organization(admin_api, acme):
    assert admin_api.delete(detail(acme)).status_code == 204
    assert not Organization.objects.filter(pk=acme.pk).exists()


def test_deleting_an_organization_with_users_is_409(admin_api, acme):
    UserFactory(role=User.Role.RECRUITER, organization=acme)
    before = snapshot()
    response = admin_api.delete(detail(acme))
    assert response.status_code == 409
    assert response.json()["code"] == "organization_in_use"
    assert snapshot() == before


def test_deleting_an_organization_with_rows_is_409(admin_api, acme):
    CandidateFactory(organization=acme)
    response = admin_api.delete(detail(acme))
    assert response.status_code == 409
    assert response.json()["code"] == "organization_in_use"
    assert Organization.objects.filter(pk=acme.pk).exists()


@pytest.mark.parametrize("pk", [uuid.uuid4(), "not-a-uuid"])
def test_unknown_organization_id_is_404(admin_api, pk):
    url = reverse("organization-detail", args=[pk])
    assert admin_api.get(url).status_code == 404
    assert admin_api.patch(url, {"name": "Nobody"}).status_code == 404
    assert admin_api.delete(url).status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(admin_api, django_assert_max_num_queries):
    OrganizationFactory.create_batch(30)
    with django_assert_max_num_queries(4):
        response = admin_api.get(reverse("organization-list"), {"page_size": 30})
    assert len(response.json()["results"]) == 30


# --- suspension: at once, and reversible ----------------------------------------------------------


@pytest.fixture
def acme_members(acme, acme_owner) -> dict[str, User]:
    return {
        "owner": acme_owner,
        "recruiter": UserFactory(role=User.Role.RECRUITER, organization=acme),
        "engine": UserFactory(role=User.Role.ENGINE, organization=acme),
    }


def tokens_of(members: dict[str, User]) -> dict[str, str]:
    """Bearer tokens from the real login endpoint, one per member."""
    tokens = {}
    for role, member in members.items():
        response = login(member.email)
        assert response.status_code == 200, role
        tokens[role] = response.json()["token"]
    return tokens


def test_suspending_stops_every_members_token_at_once_without_revoking_it(
    admin_api, acme, acme_members
):
    tokens = tokens_of(acme_members)
    for token in tokens.values():
        assert bearer(token).get(reverse("auth-me")).status_code == 200

    response = admin_api.patch(detail(acme), {"status": "suspended"})
    assert response.status_code == 200
    assert response.json()["status"] == "suspended"

    for role, token in tokens.items():
        refused = bearer(token).get(reverse("auth-me"))
        assert refused.status_code == 401, role
        assert bearer(token).get(reverse("candidate-list")).status_code == 401, role
    # Refused, not revoked: the tokens are still there for when the organization comes back.
    assert AccessToken.objects.filter(user__organization=acme).count() == 3

    assert admin_api.patch(detail(acme), {"status": "active"}).status_code == 200
    for role, token in tokens.items():
        assert bearer(token).get(reverse("auth-me")).status_code == 200, role


def test_a_suspended_organizations_member_cannot_log_in_like_a_suspended_account(
    admin_api, acme, acme_members
):
    suspended_account = UserFactory(account_status=User.AccountStatus.SUSPENDED)
    admin_api.patch(detail(acme), {"status": "suspended"})
    by_account = login(suspended_account.email)
    for role, member in acme_members.items():
        response = login(member.email)
        assert response.status_code == 401, role
        assert response.json() == {
            "detail": "Invalid email or password.",
            "code": "invalid_credentials",
        }
        assert response.content == by_account.content
        assert not AccessToken.objects.filter(user=member).exists()

    admin_api.patch(detail(acme), {"status": "active"})
    for role, member in acme_members.items():
        assert login(member.email).status_code == 200, role


def test_suspension_touches_no_other_organization_and_no_candidate(admin_api, acme, globex):
    other = UserFactory(role=User.Role.RECRUITER, organization=globex)
    candidate = UserFactory(role=User.Role.CANDIDATE)
    other_token = login(other.email).json()["token"]
    candidate_token = login(candidate.email).json()["token"]
    admin_api.patch(detail(acme), {"status": "suspended"})
    assert bearer(other_token).get(reverse("auth-me")).status_code == 200
    assert bearer(candidate_token).get(reverse("auth-me")).status_code == 200
    assert admin_api.get(reverse("organization-list")).status_code == 200


@pytest.mark.parametrize("role", [User.Role.OWNER, User.Role.RECRUITER])
def test_suspending_ends_admin_sessions_at_once_and_reactivating_restores_them(
    admin_api, acme, role
):
    member = UserFactory(role=role, organization=acme)
    browser = admin_login(member.email)
    assert "_auth_user_id" in browser.session
    assert browser.get(reverse("admin:index")).status_code == 200

    admin_api.patch(detail(acme), {"status": "suspended"})
    refused = browser.get(reverse("admin:index"))
    assert refused.status_code == 302
    assert reverse("admin:login") in refused["Location"]
    assert "_auth_user_id" not in admin_login(member.email).session

    admin_api.patch(detail(acme), {"status": "active"})
    assert browser.get(reverse("admin:index")).status_code == 200
    assert "_auth_user_id" in admin_login(member.email).session


def test_editing_a_member_of_a_suspended_organization_keeps_its_tokens(admin_api, acme):
    recruiter = UserFactory(role=User.Role.RECRUITER, organization=acme)
    token = login(recruiter.email).json()["token"]
    admin_api.patch(detail(acme), {"status": "suspended"})
    response = admin_api.patch(
        reverse("user-detail", args=[recruiter.pk]), {"full_name": "Renamed Recruiter"}
    )
    assert response.status_code == 200
    admin_api.patch(detail(acme), {"status": "active"})
    assert bearer(token).get(reverse("auth-me")).json()["full_name"] == "Renamed Recruiter"


def test_a_suspended_owner_cannot_read_its_organization(owner_api, admin_api, acme):
    admin_api.patch(detail(acme), {"status": "suspended"})
    assert owner_api.get(detail(acme)).status_code == 401
    assert owner_api.patch(detail(acme), {"name": "Sneaky"}).status_code == 401
    acme.refresh_from_db()
    assert acme.name == "Acme"


# --- concurrency (PostgreSQL) -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_of_one_slug_give_one_201_and_409_slug_taken_for_the_rest():
    admin = UserFactory(role=User.Role.ADMIN)
    clients = [client_for(admin) for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, str | None]] = []
    lock = threading.Lock()

    def create(client: APIClient, number: int) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.post(
                reverse("organization-list"), {"name": f"Racer {number}", "slug": "Race"}
            )
            with lock:
                answers.append((response.status_code, response.json().get("code")))
        finally:
            connection.close()

    workers = [
        threading.Thread(target=create, args=(client, number))
        for number, client in enumerate(clients)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(answers) == [(201, None)] + [(409, "slug_taken")] * 7
    assert Organization.objects.filter(slug="race").count() == 1
