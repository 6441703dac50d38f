"""Lookalike emails: one stored form (NFKC, IDNA), invisible characters refused, for users and
candidates alike; login shares the counter; a database check lists rows the rule would change."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.checks import check_user_emails
from accounts.emails import normalize_email, validate_email_address
from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from conftest import client_for
from interviews.checks import check_candidate_emails
from interviews.models import Candidate
from interviews.tests.factories import CandidateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

ZERO_WIDTH_SPACE = "\u200b"
COMBINING_DOT = "\u0307"
LOOKALIKES_REFUSED = {
    "zero-width space at the end": "case1@x.com\u200b",
    "zero-width space inside": "ca\u200bse1@x.com",
    "zero-width joiner": "case1@x\u200d.com",
    "soft hyphen": "case1@x\u00ad.com",
    "byte order mark": "\ufeffcase1@x.com",
    "right-to-left override": "case1@\u202ex.com",
    "left-to-right isolate": "case1@\u2066x.com",
    "control character": "case1@x.com\x07",
    "NUL": "case1\x00@x.com",
    "no-break space inside": "case1\u00a0@x.com",
    "ideographic space inside": "case1@x\u3000.com",
    "line separator": "case1@x\u2028.com",
    "private use": "case1@x\ue000.com",
    "combining dot on the local part": "case1\u0307@x.com",
    "combining dot on q, which has no composed form": "case1@xq\u0307.com",
    "combining mark starting a label": "case1@\u0307x.com",
    "Cyrillic a in the local part": "c\u0430se1@x.com",
}


# --- the stored form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Mixed.Case@Example.COM \n", "mixed.case@example.com"),
        ("case1@x.com\u200b", "case1@x.com"),  # invisible characters are dropped for lookups
        ("\ufeffcase1@x\u00ad.com", "case1@x.com"),
        ("\uff43\uff41\uff53\uff45\uff11@\uff58.\uff43\uff4f\uff4d", "case1@x.com"),  # full width
        ("a@B\u00fcCHER.de", "a@xn--bcher-kva.de"),  # IDNA A-label, lower case
        ("a@xn--bcher-kva.de", "a@xn--bcher-kva.de"),
        ("a@bu\u0308cher.de", "a@xn--bcher-kva.de"),  # decomposed u + diaeresis composes
        ("a@fa\u00df.de", "a@xn--fa-hia.de"),  # IDNA 2008: sharp s is kept, not "ss"
        ("case1@x.com\u0307", "case1@x.xn--co-7ws"),  # m + dot composes: another domain
        ("no-at-sign", "no-at-sign"),
    ],
)
def test_normalize_email_gives_one_stored_form(typed, stored):
    assert normalize_email(typed) == stored
    assert normalize_email(stored) == stored  # idempotent


@pytest.mark.parametrize("email", LOOKALIKES_REFUSED.values(), ids=LOOKALIKES_REFUSED.keys())
def test_validate_refuses_invisible_control_and_stray_combining_characters(email):
    with pytest.raises(ValidationError) as refused:
        validate_email_address(email)
    assert refused.value.code == "invalid"


@pytest.mark.parametrize(
    "email",
    [
        "case1@x.com",
        "\uff43ase1@x.com",  # full width: NFKC makes it ASCII
        "a@b\u00fccher.de",
        "a@\u0939\u093f\u0928\u094d\u0926\u0940.\u092d\u093e\u0930\u0924",  # Devanagari marks
        "case1@exam\u0307ple.com",  # composes to a real, different letter: another domain
    ],
)
def test_validate_accepts_real_addresses(email):
    validate_email_address(email)


# --- registration, users and candidates -------------------------------------------------------


def register(email: str):
    body = {"email": email, "password": "plenty-long-passphrase", "full_name": "Look Alike"}
    return APIClient().post(reverse("auth-register"), body)


@pytest.mark.parametrize("email", LOOKALIKES_REFUSED.values(), ids=LOOKALIKES_REFUSED.keys())
def test_registering_a_lookalike_email_is_400_and_creates_nothing(email):
    UserFactory(email="case1@x.com")
    response = register(email)
    assert response.status_code == 400
    assert "email" in response.json()
    assert User.objects.count() == 1
    assert Candidate.objects.count() == 0


def test_registering_a_full_width_variant_of_a_taken_email_is_a_conflict():
    UserFactory(email="case1@x.com")
    response = register("\uff43\uff41\uff53\uff45\uff11@x.com")
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


def test_a_combining_dot_that_composes_gives_another_domain_stored_as_its_a_label():
    response = register(f"case1@exam{COMBINING_DOT}ple.com")
    assert response.status_code == 201
    assert response.json()["email"] == "case1@xn--exaple-rs7b.com"


def test_the_combining_dot_after_x_com_is_refused():
    # NFKC composes m + U+0307 into a TLD "coṁ" whose A-label (xn--co-7ws) is no valid TLD.
    UserFactory(email="case1@x.com")
    response = register(f"case1@x.com{COMBINING_DOT}")
    assert response.status_code == 400
    assert User.objects.count() == 1


def test_admin_api_refuses_lookalike_user_emails(admin_api):
    body = {"password": "a-sturdy-passphrase-7", "full_name": "Look Alike", "role": "recruiter"}
    response = admin_api.post(
        reverse("user-list"), {**body, "email": f"case1@x.com{ZERO_WIDTH_SPACE}"}
    )
    assert response.status_code == 400
    user = UserFactory()
    response = admin_api.patch(
        reverse("user-detail", args=[user.pk]), {"email": f"new{ZERO_WIDTH_SPACE}@x.com"}
    )
    assert response.status_code == 400


def test_candidates_api_refuses_lookalikes_and_finds_normalised_duplicates(recruiter_api):
    CandidateFactory(email="case1@x.com")
    body = {"full_name": "Look Alike", "experience_level": "mid"}
    lookalike = recruiter_api.post(
        reverse("candidate-list"), {**body, "email": f"case1@x.com{ZERO_WIDTH_SPACE}"}
    )
    assert lookalike.status_code == 400
    assert "email" in lookalike.json()
    full_width = recruiter_api.post(
        reverse("candidate-list"), {**body, "email": "\uff43ase1@x.com"}
    )
    assert full_width.status_code == 409
    idn = recruiter_api.post(reverse("candidate-list"), {**body, "email": "Ada@B\u00dcCHER.de"})
    assert idn.status_code == 201
    assert idn.json()["email"] == "ada@xn--bcher-kva.de"
    assert Candidate.objects.count() == 2


def test_admin_add_user_page_refuses_a_lookalike_email(admin_site):
    response = admin_site.post(
        reverse("admin:accounts_user_add"),
        {
            "email": f"case1@x.com{ZERO_WIDTH_SPACE}",
            "full_name": "Look Alike",
            "role": "recruiter",
            "account_status": "active",
            "password1": "admin-made-passphrase",
            "password2": "admin-made-passphrase",
        },
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert not User.objects.filter(full_name="Look Alike").exists()


def test_admin_candidate_page_refuses_a_lookalike_email(admin_site):
    response = admin_site.post(
        reverse("admin:interviews_candidate_add"),
        {
            "email": f"case1@x.com{ZERO_WIDTH_SPACE}",
            "full_name": "Look Alike",
            "experience_level": "mid",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert not Candidate.objects.exists()


# --- login ------------------------------------------------------------------------------------


def login(email: str, password: str = "wrong-password"):
    return APIClient().post(reverse("auth-login"), {"email": email, "password": password})


def test_a_lookalike_login_counts_against_the_real_account(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory(email="case1@x.com")
    variants = [f"case1@x.com{ZERO_WIDTH_SPACE}", "\uff43ase1@x.com", "case1@x\u00ad.com"]
    assert [login(email).status_code for email in variants] == [401, 401, 401]
    user.refresh_from_db()
    assert user.failed_login_attempts == 3
    assert login("case1@x.com", DEFAULT_PASSWORD).status_code == 429


def test_lookalikes_of_an_unknown_email_share_its_counter(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    variants = ["ghost@x.com", f"ghost@x.com{ZERO_WIDTH_SPACE}", "\uff47host@X.com"]
    assert [login(email).status_code for email in variants] == [401, 401, 401]
    assert login("ghost@x.com").status_code == 429


def test_a_user_with_an_idn_domain_logs_in_typed_either_way():
    UserFactory(email="ada@b\u00fccher.de")
    assert User.objects.get().email == "ada@xn--bcher-kva.de"
    assert login("Ada@B\u00dcCHER.de", DEFAULT_PASSWORD).status_code == 200
    assert login("ada@xn--bcher-kva.de", DEFAULT_PASSWORD).status_code == 200


# --- the database check -----------------------------------------------------------------------


def store_raw(model, row, email: str) -> None:
    """Write an email as an older release could have stored it, bypassing normalisation."""
    model.all_objects.filter(pk=row.pk).update(email=email)


def test_database_check_lists_user_and_candidate_rows_the_rule_would_change():
    clean = UserFactory(email="clean@example.com")
    invisible = UserFactory()
    store_raw(User, invisible, f"case1@x.com{ZERO_WIDTH_SPACE}")
    idn = UserFactory()
    store_raw(User, idn, "ada@b\u00fccher.de")
    deleted = UserFactory(deleted_at="2024-01-01T00:00:00Z")
    store_raw(User, deleted, "gone@x\u200d.com")
    candidate = CandidateFactory()
    store_raw(Candidate, candidate, "c\u0430se1@x.com")

    [user_warning] = check_user_emails(databases=["default"])
    [candidate_warning] = check_candidate_emails(databases=["default"])

    assert user_warning.id == "accounts.W001"
    assert "3 users" in user_warning.msg
    assert f"{invisible.pk} 'case1@x.com\\u200b': would be refused" in user_warning.msg
    assert f"{idn.pk} 'ada@bücher.de': would be stored as 'ada@xn--bcher-kva.de'" in (
        user_warning.msg
    )
    assert str(deleted.pk) in user_warning.msg
    assert str(clean.pk) not in user_warning.msg
    assert candidate_warning.id == "interviews.W001"
    assert f"{candidate.pk} 'cаse1@x.com': would be refused" in candidate_warning.msg  # noqa: RUF001


def test_database_check_is_quiet_when_every_row_is_in_its_stored_form():
    UserFactory(email="a@b\u00fccher.de")  # saved through the model: normalised
    CandidateFactory(email="Ada@Example.com")
    assert check_user_emails(databases=["default"]) == []
    assert check_candidate_emails(databases=["default"]) == []


def test_database_check_runs_with_manage_py_check_database():
    store_raw(User, UserFactory(), f"case1@x.com{ZERO_WIDTH_SPACE}")
    output = StringIO()
    call_command("check", databases=["default"], stdout=output, stderr=output)
    assert "accounts.W001" in output.getvalue()
    without_database = StringIO()
    call_command("check", stdout=without_database, stderr=without_database)
    assert "accounts.W001" not in without_database.getvalue()


def test_login_by_token_is_unaffected_for_rows_listed_by_the_check():
    user = UserFactory()
    store_raw(User, user, f"case1@x.com{ZERO_WIDTH_SPACE}")
    assert client_for(user).get(reverse("auth-me")).status_code == 200
