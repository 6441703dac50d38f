"""Invitations (SPEC section 9): staff invite, list, revoke and resend; the public preview and
the single-use, atomic accept; a token stored only as its digest; every refusal writes nothing."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import AccessToken, Organization, User
from accounts.tests.factories import UserFactory
from conftest import client_for
from interviews import services
from interviews.models import Candidate, Interview, Invitation
from interviews.tests.factories import CandidateFactory, PositionFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-sturdy-passphrase-7"
INVITED = "ada@example.com"


@pytest.fixture
def other_recruiter(other_organization) -> User:
    return UserFactory(role=User.Role.RECRUITER, organization=other_organization)


def invite(
    *, organization: Organization | None = None, email: str = INVITED, **fields
) -> tuple[Invitation, str]:
    """An invitation by a recruiter of `organization` (default: `default`) and its token."""
    organization = organization or Organization.objects.default()
    recruiter = UserFactory(role=User.Role.RECRUITER, organization=organization)
    fields.setdefault("role_type", Interview.RoleType.PYTHON)
    return services.invitation_create(
        by=recruiter, organization=organization, email=email, full_name="Ada Lovelace", **fields
    )


def preview(token: str, client: APIClient | None = None):
    return (client or APIClient()).post(reverse("auth-invitation"), {"token": token})


def accept(token: str, client: APIClient | None = None, **fields):
    body = {"token": token, **fields}
    return (client or APIClient()).post(reverse("auth-invitation-accept"), body)


def staff_action(client: APIClient, action: str, invitation: Invitation):
    return client.post(reverse(f"invitation-{action}", args=[invitation.pk]))


def expire(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def rows() -> dict:
    """Every row a refused request could have written, with the columns it could change."""
    return {
        "users": sorted(User.all_objects.values_list("id", "email", "role", "full_name")),
        "candidates": sorted(Candidate.all_objects.values_list("id", "email", "user_id")),
        "invitations": sorted(
            Invitation.objects.values_list(
                "id",
                "status",
                "token_digest",
                "expires_at",
                "sent_count",
                "accepted_at",
                "accepted_by_id",
                "revoked_at",
            )
        ),
        "interviews": sorted(Interview.objects.values_list("id", "status", "candidate_id")),
        "tokens": sorted(AccessToken.objects.values_list("id", flat=True)),
    }


def assert_error(response, status_code: int, code: str) -> None:
    assert response.status_code == status_code, response.content
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == code


# --- create, per role -------------------------------------------------------------------------


@pytest.mark.parametrize("role_api", ["admin_api", "owner_api", "recruiter_api"])
def test_staff_invite_a_new_person_to_a_scheduled_interview(request, role_api, settings):
    client = request.getfixturevalue(role_api)
    before = timezone.now()
    response = client.post(
        reverse("invitation-list"),
        {"email": "  Ada@Example.COM ", "full_name": "Ada Lovelace", "role_type": "python"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert body["email"] == INVITED
    assert body["sent_count"] == 1
    assert len(body["token"]) >= 32
    invitation = Invitation.objects.get(pk=body["id"])
    assert before + settings.INVITATION_TTL <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + settings.INVITATION_TTL
    assert invitation.created_by.role == role_api.removesuffix("_api")
    candidate = invitation.candidate
    default = Organization.objects.default()
    assert (candidate.email, candidate.full_name, candidate.user) == (INVITED, "Ada Lovelace", None)
    assert candidate.organization == invitation.organization == default
    interview = invitation.interview
    assert (interview.status, interview.role_type) == ("scheduled", "python")
    assert interview.candidate == candidate and interview.organization == default
    assert body["candidate"] == str(candidate.pk) and body["interview"] == str(interview.pk)


def test_invite_finds_the_organizations_candidate_by_email_whatever_its_case(
    recruiter_api, other_organization
):
    existing = CandidateFactory(email=INVITED, full_name="Ada King")
    CandidateFactory(email=INVITED, organization=other_organization)
    response = recruiter_api.post(
        reverse("invitation-list"),
        {"email": "ADA@example.com", "full_name": "Ada Lovelace", "role_type": "react"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["candidate"] == str(existing.pk)
    assert Candidate.objects.filter(email=INVITED).count() == 2
    existing.refresh_from_db()
    assert existing.full_name == "Ada King"


def test_invite_to_a_position_takes_its_role_type_and_schedule(recruiter_api):
    position = PositionFactory(role_type=Interview.RoleType.FULLSTACK)
    when = timezone.now() + timedelta(days=3)
    response = recruiter_api.post(
        reverse("invitation-list"),
        {
            "email": INVITED,
            "full_name": "Ada Lovelace",
            "position": str(position.pk),
            "scheduled_for": when.isoformat(),
        },
    )
    assert response.status_code == 201, response.json()
    invitation = Invitation.objects.get(pk=response.json()["id"])
    assert invitation.position == position == invitation.interview.position
    assert invitation.interview.role_type == "fullstack"
    assert invitation.interview.scheduled_for == when


def test_admin_invites_into_the_organization_it_names(admin_api, other_organization):
    position = PositionFactory(organization=other_organization)
    response = admin_api.post(
        reverse("invitation-list"),
        {
            "email": INVITED,
            "full_name": "Ada Lovelace",
            "organization": str(other_organization.pk),
            "position": str(position.pk),
        },
    )
    assert response.status_code == 201, response.json()
    invitation = Invitation.objects.get(pk=response.json()["id"])
    assert invitation.organization == other_organization
    assert invitation.candidate.organization == other_organization
    assert invitation.interview.organization == other_organization


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "role_type"),
        ({"role_type": "cobol"}, "role_type"),
        ({"role_type": "python", "email": "not-an-email"}, "email"),
        ({"role_type": "python", "full_name": "A"}, "full_name"),
    ],
)
def test_invalid_invite_is_a_400_and_writes_nothing(recruiter_api, payload, field):
    before = rows()
    body = {"email": INVITED, "full_name": "Ada Lovelace", **payload}
    response = recruiter_api.post(reverse("invitation-list"), body)
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert rows() == before


def test_position_of_another_organization_is_a_400_and_writes_nothing(
    recruiter_api, admin_api, other_organization
):
    foreign = PositionFactory(organization=other_organization)
    before = rows()
    body = {"email": INVITED, "full_name": "Ada Lovelace", "position": str(foreign.pk)}
    response = recruiter_api.post(reverse("invitation-list"), body)
    assert response.status_code == 400
    assert "position" in response.json()
    # An admin sees the position, but names no organization: `default`, not the position's.
    response = admin_api.post(reverse("invitation-list"), body)
    assert response.status_code == 400
    assert "position" in response.json()
    assert rows() == before


def test_recruiter_naming_another_organization_is_a_400(recruiter_api, other_organization):
    before = rows()
    body = {
        "email": INVITED,
        "full_name": "Ada Lovelace",
        "role_type": "python",
        "organization": str(other_organization.pk),
    }
    response = recruiter_api.post(reverse("invitation-list"), body)
    assert response.status_code == 400
    assert "organization" in response.json()
    assert rows() == before


@pytest.mark.parametrize("role_api", ["engine_api", "candidate_api"])
def test_engines_and_candidates_may_not_see_or_invite(request, role_api):
    client = request.getfixturevalue(role_api)
    invitation, _token = invite()
    before = rows()
    body = {"email": INVITED, "full_name": "Ada Lovelace", "role_type": "python"}
    assert_error(client.post(reverse("invitation-list"), body), 403, "permission_denied")
    assert_error(client.get(reverse("invitation-list")), 403, "permission_denied")
    detail = reverse("invitation-detail", args=[invitation.pk])
    assert_error(client.get(detail), 403, "permission_denied")
    for action in ("revoke", "resend"):
        assert_error(staff_action(client, action, invitation), 403, "permission_denied")
    assert rows() == before


def test_anonymous_callers_may_not_list_or_invite(anon_client):
    assert anon_client.get(reverse("invitation-list")).status_code == 401
    body = {"email": INVITED, "full_name": "Ada Lovelace", "role_type": "python"}
    assert anon_client.post(reverse("invitation-list"), body).status_code == 401
    assert not Invitation.objects.exists()


# --- the token: a digest only, shown once -----------------------------------------------------


def stored_text() -> str:
    """Every column of every row of every table, as text."""
    chunks = []
    for model in apps.get_models():
        for values in model._base_manager.values_list():
            chunks.append(repr(values))
    return "\n".join(chunks)


def test_the_token_is_stored_only_as_its_digest(recruiter_api):
    body = {"email": INVITED, "full_name": "Ada Lovelace", "role_type": "python"}
    created = recruiter_api.post(reverse("invitation-list"), body).json()
    token = created["token"]
    invitation = Invitation.objects.get(pk=created["id"])
    assert invitation.token_digest == hashlib.sha256(token.encode()).hexdigest()
    resent = staff_action(recruiter_api, "resend", invitation).json()["token"]
    invitation.refresh_from_db()
    assert invitation.token_digest == hashlib.sha256(resent.encode()).hexdigest()
    text = stored_text()
    assert invitation.token_digest in text  # the scan does see the invitation's columns
    assert token not in text
    assert resent not in text


def test_list_and_detail_never_show_the_token(recruiter_api):
    invitation, token = invite()
    listed = recruiter_api.get(reverse("invitation-list"))
    detail = recruiter_api.get(reverse("invitation-detail", args=[invitation.pk]))
    for response in (listed, detail):
        assert response.status_code == 200
        assert token not in response.content.decode()
        assert b'"token"' not in response.content
        assert invitation.token_digest not in response.content.decode()


# --- list, detail and scoping -----------------------------------------------------------------


def test_staff_list_only_their_organizations_invitations(
    recruiter_api, owner_api, admin_api, other_organization
):
    ours, _ = invite()
    theirs, _ = invite(organization=other_organization, email="grace@example.com")
    for client in (recruiter_api, owner_api):
        listed = client.get(reverse("invitation-list")).json()["results"]
        assert [row["id"] for row in listed] == [str(ours.pk)]
    listed = admin_api.get(reverse("invitation-list")).json()["results"]
    assert {row["id"] for row in listed} == {str(ours.pk), str(theirs.pk)}


def test_another_organizations_invitation_is_a_404_for_every_action(
    recruiter_api, other_organization
):
    theirs, token = invite(organization=other_organization)
    before = rows()
    detail = reverse("invitation-detail", args=[theirs.pk])
    assert_error(recruiter_api.get(detail), 404, "not_found")
    for action in ("revoke", "resend"):
        assert_error(staff_action(recruiter_api, action, theirs), 404, "not_found")
    assert rows() == before
    assert preview(token).status_code == 200


def test_list_filters_by_status_with_expired_derived(recruiter_api):
    pending, _ = invite(email="pending@example.com")
    expired, _ = invite(email="expired@example.com")
    expire(expired)
    revoked, _ = invite(email="revoked@example.com")
    services.invitation_revoke(invitation=revoked)
    accepted, token = invite(email="accepted@example.com")
    assert accept(token, password=PASSWORD).status_code == 200
    expected = {"pending": pending, "expired": expired, "revoked": revoked, "accepted": accepted}
    for status, invitation in expected.items():
        response = recruiter_api.get(reverse("invitation-list"), {"status": status})
        results = response.json()["results"]
        assert [(row["id"], row["status"]) for row in results] == [(str(invitation.pk), status)]


def test_invitation_list_costs_a_fixed_number_of_queries(
    recruiter_api, django_assert_max_num_queries
):
    for index in range(5):
        invite(email=f"person{index}@example.com")
    with django_assert_max_num_queries(6):
        response = recruiter_api.get(reverse("invitation-list"))
    assert response.json()["count"] == 5


# --- preview ----------------------------------------------------------------------------------


def test_preview_shows_organization_position_email_and_nothing_else(other_organization):
    position = PositionFactory(organization=other_organization, title="Staff engineer")
    _invitation, token = invite(organization=other_organization, position=position)
    response = preview(token)
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "organization_name": other_organization.name,
        "position_title": "Staff engineer",
        "email": INVITED,
        "account_exists": False,
    }


def test_preview_without_position_has_a_null_title():
    _invitation, token = invite()
    assert preview(token).json()["position_title"] is None


def test_preview_says_whether_a_live_account_has_the_email():
    _invitation, token = invite()
    account = UserFactory(email=INVITED)
    assert preview(token).json()["account_exists"] is True
    account_services.user_soft_delete(user=account)
    assert preview(token).json()["account_exists"] is False


def used(invitation: Invitation, token: str) -> None:
    assert accept(token, password=PASSWORD).status_code == 200


def revoked(invitation: Invitation, token: str) -> None:
    services.invitation_revoke(invitation=invitation)


def expired(invitation: Invitation, token: str) -> None:
    expire(invitation)


def candidate_deleted(invitation: Invitation, token: str) -> None:
    services.candidate_soft_delete(candidate=invitation.candidate)


UNUSABLE = [
    pytest.param(None, 404, "not_found", id="unknown"),
    pytest.param(used, 409, "invitation_used", id="used"),
    pytest.param(expired, 410, "invitation_expired", id="expired"),
    pytest.param(revoked, 410, "invitation_revoked", id="revoked"),
    pytest.param(candidate_deleted, 410, "invitation_revoked", id="candidate-deleted"),
]


@pytest.mark.parametrize(("make_unusable", "status_code", "code"), UNUSABLE)
def test_preview_of_an_unusable_token_gives_its_documented_status(make_unusable, status_code, code):
    invitation, token = invite()
    if make_unusable is None:
        token = Invitation.new_token()
    else:
        make_unusable(invitation, token)
    assert_error(preview(token), status_code, code)


def test_preview_without_a_token_is_a_400():
    response = APIClient().post(reverse("auth-invitation"), {})
    assert response.status_code == 400
    assert "token" in response.json()


def test_invitation_endpoints_are_throttled_like_login(settings):
    settings.LOGIN_THROTTLE_RATE = "2/min"
    _invitation, token = invite()
    assert preview(token).status_code == 200
    assert accept(Invitation.new_token(), password=PASSWORD).status_code == 404
    response = preview(token)
    assert response.status_code == 429
    assert "Retry-After" in response


# --- accept -----------------------------------------------------------------------------------


def test_accept_creates_the_candidate_account_and_logs_it_in():
    invitation, token = invite()
    response = accept(token, password=PASSWORD)
    assert response.status_code == 200, response.json()
    body = response.json()
    account = User.objects.get(email=INVITED)
    assert (account.role, account.account_status) == ("candidate", "active")
    assert account.full_name == "Ada Lovelace"
    assert account.check_password(PASSWORD)
    assert body["user"]["id"] == str(account.pk)
    assert body["user"]["email"] == INVITED
    assert body["interview"]["id"] == str(invitation.interview_id)
    assert body["interview"]["status"] == "scheduled"
    assert body["expires_at"]
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.current_status == "accepted"
    assert invitation.accepted_by == account and invitation.accepted_at is not None
    assert invitation.candidate.user == account
    logged_in = APIClient()
    logged_in.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert logged_in.get(reverse("auth-me")).json()["email"] == INVITED
    interviews = logged_in.get(reverse("interview-list")).json()["results"]
    assert [row["id"] for row in interviews] == [str(invitation.interview_id)]


def test_accept_takes_the_name_the_person_gives():
    _invitation, token = invite()
    response = accept(token, password=PASSWORD, full_name="Augusta Ada King")
    assert response.status_code == 200, response.json()
    assert User.objects.get(email=INVITED).full_name == "Augusta Ada King"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({}, "required", id="missing"),
        pytest.param({"password": "short"}, "at least 8", id="too-short"),
        pytest.param({"password": "password123"}, "too common", id="common"),
        pytest.param({"password": "ada@example.com"}, "too similar", id="like-the-email"),
    ],
)
def test_accept_creating_an_account_needs_a_valid_password(fields, message):
    _invitation, token = invite()
    before = rows()
    response = accept(token, **fields)
    assert response.status_code == 400, response.json()
    assert any(message in text for text in response.json()["password"])
    assert rows() == before
    assert preview(token).status_code == 200


def test_accept_by_the_logged_in_candidate_with_the_invited_email():
    invitation, token = invite()
    account = UserFactory(email=INVITED, role=User.Role.CANDIDATE)
    response = accept(token, client_for(account), password="ignored-when-logged-in")
    assert response.status_code == 200, response.json()
    assert response.json()["user"]["id"] == str(account.pk)
    invitation.refresh_from_db()
    assert invitation.candidate.user == account
    assert invitation.accepted_by == account
    assert User.objects.filter(email=INVITED).count() == 1
    assert not account.check_password("ignored-when-logged-in")


def test_accept_by_an_account_with_another_email_is_a_403_and_writes_nothing():
    _invitation, token = invite()
    client = client_for(UserFactory(email="mallory@example.com"))
    before = rows()
    assert_error(accept(token, client), 403, "invitation_email_mismatch")
    assert rows() == before
    assert preview(token).status_code == 200


@pytest.mark.parametrize("role", ["admin", "owner", "recruiter", "engine"])
def test_accept_by_a_staff_or_engine_account_is_a_403_and_writes_nothing(role):
    _invitation, token = invite()
    client = client_for(UserFactory(email=INVITED, role=role))
    before = rows()
    assert_error(accept(token, client), 403, "invitation_not_candidate")
    assert rows() == before


def test_accept_anonymously_while_an_account_has_the_email_asks_to_log_in():
    _invitation, token = invite()
    UserFactory(email=INVITED)
    before = rows()
    assert_error(accept(token, password=PASSWORD), 403, "invitation_login_required")
    assert rows() == before


def test_accept_with_an_invalid_bearer_token_is_a_401():
    _invitation, token = invite()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    before = rows()
    assert accept(token, client, password=PASSWORD).status_code == 401
    assert rows() == before


@pytest.mark.parametrize(("make_unusable", "status_code", "code"), UNUSABLE)
def test_accept_of_an_unusable_token_gives_its_documented_status_and_writes_nothing(
    make_unusable, status_code, code
):
    invitation, token = invite()
    if make_unusable is None:
        token = Invitation.new_token()
    else:
        make_unusable(invitation, token)
    before = rows()
    assert_error(accept(token, password=PASSWORD), status_code, code)
    assert rows() == before


def test_accept_of_a_profile_linked_to_another_account_is_a_409_and_writes_nothing():
    invitation, token = invite()
    holder = UserFactory(email="holder@example.com")
    Candidate.objects.filter(pk=invitation.candidate_id).update(user=holder)
    before = rows()
    assert_error(accept(token, password=PASSWORD), 409, "profile_linked")
    assert rows() == before


def test_one_person_holds_profiles_in_two_organizations(other_organization, other_recruiter):
    ours, our_token = invite()
    theirs, their_token = services.invitation_create(
        by=other_recruiter,
        organization=other_organization,
        email="Ada@Example.com",
        full_name="Ada L.",
        role_type=Interview.RoleType.REACT,
    )
    first = accept(our_token, password=PASSWORD)
    assert first.status_code == 200, first.json()
    logged_in = APIClient()
    logged_in.credentials(HTTP_AUTHORIZATION=f"Bearer {first.json()['token']}")
    second = accept(their_token, logged_in)
    assert second.status_code == 200, second.json()
    account = User.objects.get(email=INVITED)
    assert set(account.candidate_profiles.values_list("organization", flat=True)) == {
        Organization.objects.default().pk,
        other_organization.pk,
    }
    profiles = logged_in.get(reverse("candidate-list")).json()["results"]
    assert {row["id"] for row in profiles} == {str(ours.candidate_id), str(theirs.candidate_id)}
    interviews = logged_in.get(reverse("interview-list")).json()["results"]
    assert {row["id"] for row in interviews} == {
        str(ours.interview_id),
        str(theirs.interview_id),
    }
    # Each organization's staff still see their own invitation only.
    listed = client_for(other_recruiter).get(reverse("invitation-list")).json()["results"]
    assert [row["id"] for row in listed] == [str(theirs.pk)]


# --- resend and revoke ------------------------------------------------------------------------


def test_resend_issues_a_new_token_and_kills_the_old_one(recruiter_api, settings):
    invitation, old_token = invite()
    expire(invitation)
    response = staff_action(recruiter_api, "resend", invitation)
    assert response.status_code == 200, response.json()
    body = response.json()
    new_token = body["token"]
    assert new_token != old_token
    assert (body["status"], body["sent_count"]) == ("pending", 2)
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + settings.INVITATION_TTL - timedelta(minutes=1)
    assert_error(preview(old_token), 404, "not_found")
    assert_error(accept(old_token, password=PASSWORD), 404, "not_found")
    assert accept(new_token, password=PASSWORD).status_code == 200


def test_resend_of_an_accepted_or_revoked_invitation_is_refused_and_writes_nothing(
    recruiter_api,
):
    accepted, token = invite(email="accepted@example.com")
    assert accept(token, password=PASSWORD).status_code == 200
    withdrawn, _ = invite(email="withdrawn@example.com")
    services.invitation_revoke(invitation=withdrawn)
    before = rows()
    assert_error(staff_action(recruiter_api, "resend", accepted), 409, "invitation_used")
    assert_error(staff_action(recruiter_api, "resend", withdrawn), 410, "invitation_revoked")
    assert rows() == before


def test_revoke_kills_the_token_and_is_idempotent(recruiter_api):
    invitation, token = invite()
    response = staff_action(recruiter_api, "revoke", invitation)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "revoked"
    assert "token" not in response.json()
    invitation.refresh_from_db()
    revoked_at = invitation.revoked_at
    assert revoked_at is not None
    assert_error(preview(token), 410, "invitation_revoked")
    again = staff_action(recruiter_api, "revoke", invitation)
    assert again.status_code == 200
    invitation.refresh_from_db()
    assert invitation.revoked_at == revoked_at


def test_revoke_of_an_expired_invitation_withdraws_it(recruiter_api):
    invitation, token = invite()
    expire(invitation)
    response = staff_action(recruiter_api, "revoke", invitation)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "revoked"
    assert_error(preview(token), 410, "invitation_revoked")


def test_revoke_of_an_accepted_invitation_is_a_409_and_writes_nothing(recruiter_api):
    invitation, token = invite()
    assert accept(token, password=PASSWORD).status_code == 200
    before = rows()
    assert_error(staff_action(recruiter_api, "revoke", invitation), 409, "invitation_used")
    assert rows() == before


# --- concurrency ------------------------------------------------------------------------------


def run_in_threads(count: int, work) -> list:
    """Run `work()` in `count` threads released together; return their results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work()
        except Exception as error:  # reported to the test, which asserts on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker thread hung"
    return results


@pytest.mark.postgres
@pytest.mark.pgbouncer
@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_of_one_token_let_exactly_one_through():
    invitation, token = invite()

    responses = run_in_threads(8, lambda: accept(token, password=PASSWORD))

    assert [response for response in responses if isinstance(response, Exception)] == []
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [409] * 7
    codes = [response.json()["code"] for response in responses if response.status_code == 409]
    assert set(codes) == {"invitation_used"}
    (account,) = User.objects.filter(email=INVITED)
    assert list(Candidate.objects.filter(user=account)) == [invitation.candidate]
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.accepted_by == account
    assert AccessToken.objects.filter(user=account).count() == 1


def test_a_suspended_organizations_invitation_is_refused_until_it_is_reactivated(
    owner_api, anon_client
):
    created = owner_api.post(
        reverse("invitation-list"),
        {"email": "late@example.com", "full_name": "Late Comer", "role_type": "python"},
    )
    assert created.status_code == 201, created.json()
    token = created.json()["token"]
    organization = Organization.objects.default()
    organization.status = Organization.Status.SUSPENDED
    organization.save()

    preview = anon_client.post(reverse("auth-invitation"), {"token": token})
    accept = anon_client.post(
        reverse("auth-invitation-accept"), {"token": token, "password": "a-long-passphrase-9"}
    )

    assert preview.status_code == accept.status_code == 403
    assert accept.json()["code"] == "organization_suspended"
    assert not User.objects.filter(email="late@example.com").exists()
    organization.status = Organization.Status.ACTIVE
    organization.save()
    assert anon_client.post(reverse("auth-invitation"), {"token": token}).status_code == 200
