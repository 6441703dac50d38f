"""The admin across organizations: an organization's owners and recruiters see and change only
its rows (changelists, search, filters, autocomplete, pickers, change and delete pages, actions,
the dashboard), platform admins see all with an organization filter; writes land in the right
organization; the organization, position and invitation admins."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, User
from accounts.tests.factories import OrganizationFactory, UserFactory
from assessments.models import AssessmentResult
from assessments.tests.factories import AssessmentFactory
from conftest import browser_for
from core.errors import ConflictError
from interviews import services
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Invitation,
    Position,
    Resume,
)
from interviews.tests.factories import CandidateFactory, PositionFactory, ResumeFactory

pytestmark = pytest.mark.django_db

# Every changelist an organization's member may open; owners also manage users and their
# organization.
DOMAIN_MODELS = [
    Candidate,
    Resume,
    Interview,
    InterviewSession,
    InterviewMessage,
    InterviewStatusChange,
    AssessmentResult,
    Position,
    Invitation,
]
OWNER_MODELS = [*DOMAIN_MODELS, User, Organization]
MEMBER_ROLES = [User.Role.OWNER, User.Role.RECRUITER]


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@dataclass
class Tenant:
    """One organization with a row of every admin model, all named after `tag`."""

    organization: Organization
    users: dict[str, User]
    rows: dict

    def member(self, role: str) -> User:
        return self.users[role]


def tenant(tag: str) -> Tenant:
    """An organization "<Tag> Hiring" whose people, positions, files and texts carry `tag`."""
    title = tag.capitalize()
    organization = OrganizationFactory(name=f"{title} Hiring", slug=f"{tag}-hiring")
    users = {
        role: UserFactory(
            role=role,
            organization=organization,
            email=f"{role}@{tag}.example",
            full_name=f"{title} {role.capitalize()}",
        )
        for role in (User.Role.OWNER, User.Role.RECRUITER, User.Role.ENGINE)
    }
    by = users[User.Role.RECRUITER]
    users[User.Role.ENGINE].locked_until = timezone.now() + timedelta(minutes=10)
    users[User.Role.ENGINE].save()
    position = PositionFactory(organization=organization, title=f"{title} Pilot")
    candidate = CandidateFactory(
        organization=organization, email=f"candidate@{tag}.example", full_name=f"{title} Person"
    )
    resume = ResumeFactory(candidate=candidate, file_name=f"{tag}-cv.pdf")
    interview = services.interview_create(
        candidate=candidate, role_type="python", by=by, resume=resume, position=position
    )
    interview = services.interview_start(interview=interview, by=by)
    services.message_append(
        interview=interview, message_type="ai_question", content_text=f"{title} question?"
    )
    interview = services.interview_complete(interview=interview, by=by)
    assessment = AssessmentFactory(interview=interview)
    running = services.interview_start(
        interview=services.interview_create(candidate=candidate, role_type="react", by=by), by=by
    )
    invited = services.interview_create(candidate=candidate, role_type="python", by=by)
    invitation = Invitation.objects.create(
        organization=organization,
        candidate=candidate,
        interview=invited,
        position=position,
        email=f"invitee@{tag}.example",
        full_name=f"{title} Invitee",
        token_digest=Invitation.digest_of(Invitation.new_token()),
        expires_at=timezone.now() + timedelta(days=7),
        created_by=by,
    )
    rows = {
        Candidate: candidate,
        Resume: resume,
        Interview: interview,
        InterviewSession: interview.session,
        InterviewMessage: interview.messages.get(),
        InterviewStatusChange: interview.status_changes.order_by("created_at").last(),
        AssessmentResult: assessment,
        Position: position,
        Invitation: invitation,
        User: users[User.Role.RECRUITER],
        Organization: organization,
        "running": running,
    }
    return Tenant(organization=organization, users=users, rows=rows)


@pytest.fixture
def acme() -> Tenant:
    return tenant("acme")


@pytest.fixture
def borealis() -> Tenant:
    return tenant("borealis")


def page(client: Client, url: str, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response.content.decode()


def listed_pks(response) -> set:
    return {row.pk for row in response.context["cl"].result_list}


def models_of(role: str) -> list:
    return OWNER_MODELS if role == User.Role.OWNER else DOMAIN_MODELS


MEMBER_PAGES = [(role, model) for role in MEMBER_ROLES for model in models_of(role)]
MEMBER_IDS = [f"{role}-{model.__name__}" for role, model in MEMBER_PAGES]


# --- members see their organization only -------------------------------------------------------


@pytest.mark.parametrize(("role", "model"), MEMBER_PAGES, ids=MEMBER_IDS)
def test_member_changelist_shows_its_organization_only(acme, borealis, role, model):
    client = browser_for(acme.member(role))
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert acme.rows[model].pk in listed_pks(response)
    assert borealis.rows[model].pk not in listed_pks(response)
    assert "borealis" not in response.content.decode().lower()


# What the rows of an organization tagged "borealis" show of themselves (names, titles, files,
# texts, people); a search echoes its term in the page, so the search test looks for these.
BOREALIS_NAMES = [
    "Borealis Hiring",
    "Borealis Person",
    "Borealis Pilot",
    "Borealis Invitee",
    "borealis-cv.pdf",
    "Borealis question?",
    "Borealis Recruiter",
]


@pytest.mark.parametrize(("role", "model"), MEMBER_PAGES, ids=MEMBER_IDS)
def test_member_search_finds_nothing_of_another_organization(acme, borealis, role, model):
    client = browser_for(acme.member(role))
    for term in ("borealis", borealis.rows[Candidate].email, "Pilot"):
        response = client.get(admin_url(model, "changelist"), {"q": term})
        assert response.status_code == 200
        assert borealis.rows[model].pk not in listed_pks(response)
        html = response.content.decode()
        assert [name for name in BOREALIS_NAMES if name in html] == []


# Filters whose value names another organization's rows, and the model's own filters.
def member_filters(other: Tenant) -> list[tuple]:
    organization = {"organization__id__exact": str(other.organization.pk)}
    return [
        *[(model, organization) for model in DOMAIN_MODELS],
        (Interview, {"position__id__exact": str(other.rows[Position].pk)}),
        (Interview, {"candidate__id__exact": str(other.rows[Candidate].pk)}),
        (Interview, {"status__exact": "completed"}),
        (InterviewSession, {"interview__status__exact": "completed"}),
        (Resume, {"content_type__exact": "application/pdf"}),
        (Candidate, {"deleted": "all"}),
        (Invitation, {"status": "pending"}),
        (Position, {"status__exact": "open"}),
    ]


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_member_filters_show_nothing_of_another_organization(acme, borealis, role):
    client = browser_for(acme.member(role))
    for model, params in member_filters(borealis):
        response = client.get(admin_url(model, "changelist"), params)
        assert response.status_code in (200, 302), (model, params)
        if response.status_code == 200:
            assert borealis.rows[model].pk not in listed_pks(response), (model, params)
            assert "borealis" not in response.content.decode().lower(), (model, params)


AUTOCOMPLETES = [
    ("interview", "candidate"),
    ("interview", "position"),
    ("resume", "candidate"),
    ("invitation", "position"),
]


@pytest.mark.parametrize("role", MEMBER_ROLES)
@pytest.mark.parametrize(("model_name", "field_name"), AUTOCOMPLETES)
def test_member_autocomplete_offers_its_organization_only(
    acme, borealis, role, model_name, field_name
):
    client = browser_for(acme.member(role))
    query = {"app_label": "interviews", "model_name": model_name, "field_name": field_name}
    offered = client.get(reverse("admin:autocomplete"), {**query, "term": ""})
    assert offered.status_code == 200
    ids = {result["id"] for result in offered.json()["results"]}
    assert str(acme.rows[Candidate if field_name == "candidate" else Position].pk) in ids
    assert "borealis" not in offered.content.decode().lower()
    searched = client.get(reverse("admin:autocomplete"), {**query, "term": "borealis"})
    assert searched.json()["results"] == []


@pytest.mark.parametrize(("role", "model"), MEMBER_PAGES, ids=MEMBER_IDS)
def test_member_cannot_open_another_organizations_rows(acme, borealis, role, model):
    client = browser_for(acme.member(role))
    row = borealis.rows[model]
    for action in ("change", "history", "delete"):
        response = client.get(admin_url(model, action, row.pk))
        assert response.status_code in (302, 403, 404), (action, response.status_code)
        assert "borealis" not in response.content.decode().lower()


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_member_actions_skip_another_organizations_rows(acme, borealis, role):
    client = browser_for(acme.member(role))
    running = borealis.rows["running"]
    client.post(
        admin_url(Interview, "changelist"),
        {"action": "abandon_selected", ACTION_CHECKBOX_NAME: [str(running.pk)]},
    )
    client.post(
        admin_url(Candidate, "changelist"),
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [str(borealis.rows[Candidate].pk)],
            "post": "yes",
        },
    )
    client.post(admin_url(Candidate, "delete", borealis.rows[Candidate].pk), {"post": "yes"})
    running.refresh_from_db()
    assert running.status == Interview.Status.IN_PROGRESS
    assert Candidate.objects.filter(pk=borealis.rows[Candidate].pk).exists()


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_member_dashboard_shows_its_organization_only(acme, borealis, role):
    html = page(browser_for(acme.member(role)), reverse("admin:index"))
    assert "Acme Person" in html
    assert "borealis" not in html.lower()


def test_owner_dashboard_lists_its_organizations_locked_accounts(acme, borealis):
    response = browser_for(acme.member(User.Role.OWNER)).get(reverse("admin:index"))
    assert response.context["dashboard"].locked_users == [acme.member(User.Role.ENGINE)]


# --- pickers and writes of members ----------------------------------------------------------


def interview_form(candidate, position=None) -> dict:
    return {
        "candidate": str(candidate.pk),
        "position": str(position.pk) if position else "",
        "resume": "",
        "role_type": "python",
        "scheduled_for_0": "",
        "scheduled_for_1": "",
        "ai_model_used": "",
    }


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_member_cannot_pick_another_organizations_rows(acme, borealis, role):
    client = browser_for(acme.member(role))
    before = Interview.objects.count()
    cases = [
        (Interview, interview_form(borealis.rows[Candidate]), "candidate"),
        (Interview, interview_form(acme.rows[Candidate], borealis.rows[Position]), "position"),
        (Resume, {"candidate": str(borealis.rows[Candidate].pk)}, "candidate"),
        (AssessmentResult, {"interview": str(borealis.rows["running"].pk)}, "interview"),
    ]
    for model, form, field in cases:
        response = client.post(admin_url(model, "add"), form)
        assert response.status_code == 200, model
        assert field in response.context["adminform"].form.errors, model
    assert Interview.objects.count() == before


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_member_adds_candidates_and_positions_into_its_organization(acme, borealis, role):
    client = browser_for(acme.member(role))
    add_page = page(client, admin_url(Candidate, "add"))
    assert 'name="organization"' not in add_page
    response = client.post(
        admin_url(Candidate, "add"),
        {
            "organization": str(borealis.organization.pk),  # not a field of theirs: ignored
            "email": "new@example.com",
            "full_name": "New Person",
            "experience_level": "mid",
            "status": "active",
        },
    )
    assert response.status_code == 302
    assert Candidate.objects.get(email="new@example.com").organization == acme.organization
    response = client.post(
        admin_url(Position, "add"),
        {
            "title": "Data engineer",
            "role_type": "python",
            "experience_level": "senior",
            "status": "open",
            "description": "",
            "skills": '[{"skill": "sql", "weight": 100}]',
        },
    )
    assert response.status_code == 302
    position = Position.objects.get(title="Data engineer")
    assert (position.organization, position.created_by) == (acme.organization, acme.member(role))


def test_candidate_email_is_unique_per_organization(acme, borealis):
    client = browser_for(acme.member(User.Role.RECRUITER))
    form = {"full_name": "Twin", "experience_level": "mid", "status": "active"}
    taken = client.post(admin_url(Candidate, "add"), {**form, "email": "candidate@acme.example"})
    assert "email" in taken.context["adminform"].form.errors
    other = client.post(
        admin_url(Candidate, "add"), {**form, "email": "candidate@borealis.example"}
    )
    assert other.status_code == 302  # Borealis' candidate is no concern of Acme's


# --- platform admins --------------------------------------------------------------------------


@pytest.mark.parametrize("model", OWNER_MODELS, ids=lambda model: model.__name__)
def test_admin_sees_every_organization_and_filters_by_one(admin_site, acme, borealis, model):
    everything = admin_site.get(admin_url(model, "changelist"))
    assert {acme.rows[model].pk, borealis.rows[model].pk} <= listed_pks(everything)
    if model is Organization:
        return
    assert "Borealis Hiring" in everything.content.decode()  # the organization column
    assert "organization__id__exact" in everything.content.decode()  # and its filter
    filtered = admin_site.get(
        admin_url(model, "changelist"), {"organization__id__exact": str(acme.organization.pk)}
    )
    assert acme.rows[model].pk in listed_pks(filtered)
    assert borealis.rows[model].pk not in listed_pks(filtered)


def test_admin_picks_the_organization_of_a_new_candidate(admin_site, acme, borealis):
    assert (
        admin_site.get(admin_url(Candidate, "add"))
        .context["adminform"]
        .form.initial["organization"]
        == Organization.objects.default().pk
    )
    form = {"full_name": "Picked", "experience_level": "mid", "status": "active"}
    admin_site.post(
        admin_url(Candidate, "add"),
        {**form, "email": "picked@example.com", "organization": str(borealis.organization.pk)},
    )
    admin_site.post(admin_url(Candidate, "add"), {**form, "email": "default@example.com"})
    assert Candidate.objects.get(email="picked@example.com").organization == borealis.organization
    default = Candidate.objects.get(email="default@example.com")
    assert default.organization.slug == Organization.DEFAULT_SLUG


def test_admin_cross_organization_interview_is_a_form_error(admin_site, acme, borealis):
    before = Interview.objects.count()
    response = admin_site.post(
        admin_url(Interview, "add"), interview_form(acme.rows[Candidate], borealis.rows[Position])
    )
    assert response.status_code == 200
    assert "position" in response.context["adminform"].form.errors
    assert Interview.objects.count() == before


def test_admin_cross_organization_invitation_is_a_form_error(admin_site, acme, borealis):
    response = admin_site.post(
        admin_url(Invitation, "add"),
        {
            "organization": str(acme.organization.pk),
            "email": "someone@example.com",
            "full_name": "Some One",
            "position": str(borealis.rows[Position].pk),
            "role_type": "",
            "scheduled_for_0": "",
            "scheduled_for_1": "",
        },
    )
    assert response.status_code == 200
    assert "position" in response.context["adminform"].form.errors


# --- users ------------------------------------------------------------------------------------


def user_form(**overrides) -> dict:
    return {
        "email": "hired@example.com",
        "full_name": "Hired Person",
        "role": "recruiter",
        "organization": "",
        "account_status": "active",
        "password1": "admin-made-passphrase",
        "password2": "admin-made-passphrase",
        **overrides,
    }


def test_owner_manages_its_organizations_users_only(acme, borealis, staff_admin):
    client = browser_for(acme.member(User.Role.OWNER))
    listed = {
        user.email for user in client.get(admin_url(User, "changelist")).context["cl"].result_list
    }
    assert listed == {user.email for user in acme.users.values()}
    own, other = acme.member(User.Role.RECRUITER), borealis.member(User.Role.RECRUITER)
    page(client, reverse("admin:auth_user_password_change", args=[own.pk]))
    assert client.get(reverse("admin:auth_user_password_change", args=[other.pk])).status_code in (
        302,
        404,
    )
    change_page = page(client, admin_url(User, "change", own.pk))
    assert 'name="groups"' not in change_page
    assert 'name="user_permissions"' not in change_page
    response = client.post(
        admin_url(User, "add"), user_form(organization=str(borealis.organization.pk))
    )
    assert response.status_code == 200  # not one of the owner's choices
    response = client.post(admin_url(User, "add"), user_form(role="engine"))
    assert response.status_code == 302
    assert User.objects.get(email="hired@example.com").organization == acme.organization


def test_owner_cannot_give_roles_outside_organizations(acme):
    client = browser_for(acme.member(User.Role.OWNER))
    for role in ("admin", "candidate"):
        response = client.post(admin_url(User, "add"), user_form(role=role))
        assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="hired@example.com").exists()


@pytest.mark.parametrize(
    ("role", "organization", "lands_in"),
    [
        ("recruiter", "borealis", "borealis"),
        ("owner", "", "default"),
        ("engine", "acme", "acme"),
        ("candidate", "", None),
        ("admin", "", None),
    ],
)
def test_admin_adds_users_with_the_organization_their_role_has(
    admin_site, acme, borealis, role, organization, lands_in
):
    tenants = {"acme": acme.organization, "borealis": borealis.organization}
    picked = str(tenants[organization].pk) if organization else ""
    response = admin_site.post(admin_url(User, "add"), user_form(role=role, organization=picked))
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="hired@example.com")
    assert (user.organization.slug if user.organization else None) == (
        f"{lands_in}-hiring" if lands_in in tenants else lands_in
    )


def test_admin_giving_an_admin_an_organization_is_a_form_error(admin_site, acme):
    response = admin_site.post(
        admin_url(User, "add"), user_form(role="admin", organization=str(acme.organization.pk))
    )
    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors


def test_admin_moves_a_recruiter_to_another_organization(admin_site, acme, borealis):
    recruiter = acme.member(User.Role.RECRUITER)
    form = page(admin_site, admin_url(User, "change", recruiter.pk))
    assert 'name="organization"' in form
    response = admin_site.post(
        admin_url(User, "change", recruiter.pk),
        {
            "email": recruiter.email,
            "full_name": recruiter.full_name,
            "timezone": "UTC",
            "language": "en",
            "role": "recruiter",
            "organization": str(borealis.organization.pk),
            "account_status": "active",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    recruiter.refresh_from_db()
    assert recruiter.organization == borealis.organization


def test_owners_and_recruiters_hold_the_permissions_of_their_role(acme):
    owner, recruiter = acme.member(User.Role.OWNER), acme.member(User.Role.RECRUITER)
    for user in (owner, recruiter):
        assert user.has_perms(["interviews.add_position", "interviews.change_invitation"])
    assert owner.has_perms(["accounts.change_user", "accounts.change_organization"])
    assert not owner.has_perm("accounts.add_organization")
    assert not recruiter.has_perm("accounts.view_user")


# --- organizations ----------------------------------------------------------------------------


def test_owner_sees_and_renames_its_own_organization_only(acme, borealis):
    client = browser_for(acme.member(User.Role.OWNER))
    change_url = admin_url(Organization, "change", acme.organization.pk)
    form = page(client, change_url)
    assert 'name="name"' in form
    assert 'name="slug"' not in form and 'name="status"' not in form
    response = client.post(
        change_url,
        {"name": "Acme Renamed", "slug": "stolen", "status": "suspended", "retention_days": "30"},
    )
    assert response.status_code == 302
    acme.organization.refresh_from_db()
    assert (acme.organization.name, acme.organization.slug) == ("Acme Renamed", "acme-hiring")
    assert acme.organization.status == Organization.Status.ACTIVE
    assert client.get(admin_url(Organization, "add")).status_code == 403


def test_admin_suspends_and_reactivates_organizations(admin_site, acme):
    def act(action: str) -> None:
        admin_site.post(
            admin_url(Organization, "changelist"),
            {"action": action, ACTION_CHECKBOX_NAME: [str(acme.organization.pk)]},
        )
        acme.organization.refresh_from_db()

    act("suspend_selected")
    assert acme.organization.status == Organization.Status.SUSPENDED
    recruiter = browser_for(acme.member(User.Role.RECRUITER))
    assert recruiter.get(reverse("admin:index")).status_code == 302  # back to the login
    act("reactivate_selected")
    assert acme.organization.status == Organization.Status.ACTIVE
    assert recruiter.get(reverse("admin:index")).status_code == 200


def test_owners_have_no_suspend_action(acme):
    client = browser_for(acme.member(User.Role.OWNER))
    actions = client.get(admin_url(Organization, "changelist")).context["action_form"]
    assert "suspend_selected" not in str(actions)


def test_admin_adds_an_organization_and_cannot_delete_one_in_use(admin_site, acme):
    response = admin_site.post(
        admin_url(Organization, "add"),
        {"name": "Cobalt Recruiting", "slug": "Cobalt", "status": "active", "retention_days": "14"},
    )
    assert response.status_code == 302
    cobalt = Organization.objects.get(slug="cobalt")
    taken = admin_site.post(
        admin_url(Organization, "add"),
        {"name": "Cobalt again", "slug": "COBALT", "status": "active", "retention_days": "14"},
    )
    assert "slug" in taken.context["adminform"].form.errors
    refused = admin_site.get(admin_url(Organization, "delete", acme.organization.pk))
    assert refused.context["protected"]
    admin_site.post(admin_url(Organization, "delete", acme.organization.pk), {"post": "yes"})
    assert Organization.objects.filter(pk=acme.organization.pk).exists()
    admin_site.post(admin_url(Organization, "delete", cobalt.pk), {"post": "yes"})
    assert not Organization.objects.filter(pk=cobalt.pk).exists()


# --- positions and invitations ------------------------------------------------------------------


NEW_ADMINS = [Position, Invitation, Organization]


@pytest.mark.parametrize("model", NEW_ADMINS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("role", [User.Role.ADMIN, *MEMBER_ROLES])
def test_new_admin_pages_render(admin_site, acme, role, model):
    client = admin_site if role == User.Role.ADMIN else browser_for(acme.member(role))
    if model is Organization and role == User.Role.RECRUITER:
        assert client.get(admin_url(model, "changelist")).status_code == 403
        return
    page(client, admin_url(model, "changelist"))
    page(client, admin_url(model, "change", acme.rows[model].pk))
    if model is not Organization or role == User.Role.ADMIN:
        page(client, admin_url(model, "add"))


@pytest.mark.parametrize(
    "skills",
    [
        "not json",
        '{"skill": "x"}',
        '[{"skill": "x", "weight": 0}]',
        '[{"skill": "\\u0000", "weight": 5}]',
    ],
)
def test_a_malformed_rubric_is_a_form_error(admin_site, acme, skills):
    response = admin_site.post(
        admin_url(Position, "change", acme.rows[Position].pk),
        {
            "title": "Acme Pilot",
            "role_type": "python",
            "experience_level": "mid",
            "status": "open",
            "description": "",
            "skills": skills,
        },
    )
    assert response.status_code == 200
    assert "skills" in response.context["adminform"].form.errors


def test_position_in_use_is_not_deleted(admin_site, acme):
    position = acme.rows[Position]
    assert admin_site.get(admin_url(Position, "delete", position.pk)).context["protected"]
    admin_site.post(admin_url(Position, "delete", position.pk), {"post": "yes"})
    assert Position.objects.filter(pk=position.pk).exists()


def test_candidate_and_position_pages_invite_with_a_prefilled_form(acme):
    client = browser_for(acme.member(User.Role.RECRUITER))
    candidate, position = acme.rows[Candidate], acme.rows[Position]
    for row, expected in [
        (candidate, {"email": candidate.email, "full_name": candidate.full_name}),
        (position, {"position": str(position.pk)}),
    ]:
        response = client.get(admin_url(type(row), "change", row.pk))
        invite = response.context["invite_url"]
        assert invite.startswith(admin_url(Invitation, "add"))
        assert invite in response.content.decode().replace("&amp;", "&")
        initial = client.get(invite).context["adminform"].form.initial
        assert {name: str(initial[name]) for name in expected} == expected


def test_invitation_list_shows_status_expiry_email_and_interview(acme):
    invitation = acme.rows[Invitation]
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    client = browser_for(acme.member(User.Role.RECRUITER))
    html = page(client, admin_url(Invitation, "changelist"))
    assert "invitee@acme.example" in html and "Expired" in html
    assert admin_url(Interview, "change", invitation.interview_id) in html
    expired = client.get(admin_url(Invitation, "changelist"), {"status": "expired"})
    assert listed_pks(expired) == {invitation.pk}
    assert (
        listed_pks(client.get(admin_url(Invitation, "changelist"), {"status": "pending"})) == set()
    )


def test_invitation_added_through_the_service_shows_its_token_once(acme):
    client = browser_for(acme.member(User.Role.RECRUITER))
    response = client.post(
        admin_url(Invitation, "add"),
        {
            "email": "Invited@Example.com",
            "full_name": "Invited Person",
            "position": str(acme.rows[Position].pk),
            "role_type": "",
            "scheduled_for_0": "",
            "scheduled_for_1": "",
        },
        follow=True,
    )
    invitation = Invitation.objects.get(email="invited@example.com")
    assert invitation.organization == acme.organization
    told = [str(message) for message in response.context["messages"]]
    accept = reverse("auth-invitation-accept")
    assert accept == "/api/v1/auth/invitation/accept/"
    token_message = next(message for message in told if accept in message)
    token = token_message.split("only this once: ")[1].split(" ")[0]
    assert Invitation.digest_of(token) == invitation.token_digest
    again = client.get(admin_url(Invitation, "change", invitation.pk)).content.decode()
    assert token not in again


def invitation_form(position: Position) -> dict:
    return {
        "email": "invited@example.com",
        "full_name": "Invited Person",
        "position": str(position.pk),
        "role_type": "",
        "scheduled_for_0": "",
        "scheduled_for_1": "",
    }


def test_a_refused_invitation_is_a_message_and_writes_nothing(acme, monkeypatch):
    def refuse(**fields):
        services.candidate_create(
            organization=fields["organization"], email=fields["email"], full_name="Half Done"
        )
        raise ConflictError("This person has a pending invitation.", code="invitation_pending")

    monkeypatch.setattr(services, "invitation_create", refuse, raising=False)
    client = browser_for(acme.member(User.Role.RECRUITER))
    add_url = admin_url(Invitation, "add") + f"?position={acme.rows[Position].pk}"
    response = client.post(add_url, invitation_form(acme.rows[Position]))
    assert response.status_code == 302
    assert response.url == add_url  # back to the prefilled form
    told = [str(message) for message in client.get(add_url).context["messages"]]
    assert told == ["Not invited: This person has a pending invitation."]
    assert not Candidate.objects.filter(email="invited@example.com").exists()  # rolled back


def test_revoke_and_resend_actions_reach_the_members_invitations_only(acme, borealis):
    client = browser_for(acme.member(User.Role.RECRUITER))
    mine, theirs = acme.rows[Invitation], borealis.rows[Invitation]
    both = [str(mine.pk), str(theirs.pk)]
    digests = {mine.pk: mine.token_digest, theirs.pk: theirs.token_digest}
    resent = client.post(
        admin_url(Invitation, "changelist"),
        {"action": "resend_selected", ACTION_CHECKBOX_NAME: both},
        follow=True,
    )
    told = [str(message) for message in resent.context["messages"]]
    assert len(told) == 1 and "invitee@acme.example" in told[0]
    token = told[0].split("only this once: ")[1].split(" ")[0]
    mine.refresh_from_db()
    assert mine.token_digest == Invitation.digest_of(token) != digests[mine.pk]
    client.post(
        admin_url(Invitation, "changelist"),
        {"action": "revoke_selected", ACTION_CHECKBOX_NAME: both},
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Invitation.Status.REVOKED
    assert (theirs.status, theirs.token_digest) == (Invitation.Status.PENDING, digests[theirs.pk])


def test_resending_a_revoked_invitation_says_why(acme):
    invitation = services.invitation_revoke(invitation=acme.rows[Invitation])
    client = browser_for(acme.member(User.Role.RECRUITER))
    response = client.post(
        admin_url(Invitation, "changelist"),
        {"action": "resend_selected", ACTION_CHECKBOX_NAME: [str(invitation.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    told = [str(message) for message in response.context["messages"]]
    assert told == ["invitee@acme.example: This invitation was withdrawn; create a new one."]
