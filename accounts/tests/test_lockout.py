"""Login lockout (spec section 4): counting, 401 then 429, expiry, reset, no enumeration."""

import threading
import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import User
from accounts.services import lockout
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

WRONG_PASSWORD = "not-the-password"


@pytest.fixture
def limit(settings) -> int:
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 600
    return 3


def login(email: str, password: str, client: APIClient | None = None):
    client = client or APIClient()
    return client.post(reverse("auth-login"), {"email": email, "password": password})


def fail_times(email: str, count: int) -> list[int]:
    return [login(email, WRONG_PASSWORD).status_code for _ in range(count)]


def moved_clock(by: timedelta):
    """Move the clock every service reads (django.utils.timezone.now) forward by `by`."""
    later = timezone.now() + by
    return mock.patch("accounts.services.lockout.timezone.now", return_value=later)


# --- counting and locking ---------------------------------------------------------------------


def test_failures_below_the_limit_answer_401_and_are_counted(limit):
    user = UserFactory()
    assert fail_times(user.email, limit - 1) == [401] * (limit - 1)
    user.refresh_from_db()
    assert user.failed_login_attempts == limit - 1
    assert user.locked_until is None
    assert user.last_failed_login_at is not None


def test_failure_that_reaches_the_limit_answers_401_and_locks(limit):
    user = UserFactory()
    assert fail_times(user.email, limit) == [401] * limit
    user.refresh_from_db()
    assert user.failed_login_attempts == limit
    assert user.is_locked()
    expected_end = timezone.now() + timedelta(seconds=600)
    assert abs((user.locked_until - expected_end).total_seconds()) < 30


def test_attempts_after_the_limit_answer_429_with_retry_after(limit):
    user = UserFactory()
    fail_times(user.email, limit)
    response = login(user.email, WRONG_PASSWORD)
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many failed logins. Try again later.",
        "code": "locked",
    }
    assert 0 < int(response["Retry-After"]) <= 600


def test_right_password_during_a_lockout_answers_429(limit):
    user = UserFactory()
    fail_times(user.email, limit)
    response = login(user.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "locked"
    assert 0 < int(response["Retry-After"]) <= 600
    assert "token" not in response.json()
    user.refresh_from_db()
    assert user.last_login is None


def test_failures_during_a_lockout_are_counted_but_do_not_extend_it(limit):
    user = UserFactory()
    fail_times(user.email, limit)
    user.refresh_from_db()
    locked_until = user.locked_until
    with moved_clock(timedelta(seconds=120)):
        response = login(user.email, WRONG_PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 600 - 120 + 1
    user.refresh_from_db()
    assert user.locked_until == locked_until
    assert user.failed_login_attempts == limit + 1


def test_lockout_ends_on_time_and_the_right_password_then_logs_in_and_resets(limit):
    user = UserFactory()
    fail_times(user.email, limit + 2)
    with moved_clock(timedelta(seconds=601)):
        response = login(user.email, DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "token" in response.json()
    user.refresh_from_db()
    assert user.failed_login_attempts == 0
    assert user.locked_until is None
    assert user.login_count == 1


def test_lockout_that_ended_in_the_database_lets_the_right_password_in(limit):
    user = UserFactory()
    fail_times(user.email, limit)
    User.all_objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert login(user.email, DEFAULT_PASSWORD).status_code == 200
    user.refresh_from_db()
    assert (user.failed_login_attempts, user.locked_until) == (0, None)


def test_counter_starts_again_after_an_expired_lockout(limit):
    user = UserFactory()
    fail_times(user.email, limit)
    User.all_objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert fail_times(user.email, limit) == [401] * limit
    user.refresh_from_db()
    assert user.failed_login_attempts == limit
    assert user.is_locked()
    assert login(user.email, WRONG_PASSWORD).status_code == 429


def test_successful_login_resets_the_counter(limit):
    user = UserFactory()
    fail_times(user.email, limit - 1)
    assert login(user.email, DEFAULT_PASSWORD).status_code == 200
    user.refresh_from_db()
    assert user.failed_login_attempts == 0
    # The reset means a fresh run of failures is needed to lock again.
    assert fail_times(user.email, limit - 1) == [401] * (limit - 1)
    assert login(user.email, DEFAULT_PASSWORD).status_code == 200


def test_case_variants_of_an_email_share_one_counter(limit):
    user = UserFactory(email="case@example.com")
    variants = ["CASE@example.com", " Case@Example.Com ", "case@EXAMPLE.COM"]
    statuses = [login(email, WRONG_PASSWORD).status_code for email in variants]
    assert statuses == [401, 401, 401]
    user.refresh_from_db()
    assert user.failed_login_attempts == 3
    assert login("case@example.com", DEFAULT_PASSWORD).status_code == 429


def test_unknown_email_locks_after_the_same_number_of_failures(limit):
    assert fail_times("ghost@example.com", limit) == [401] * limit
    response = login("ghost@example.com", WRONG_PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "locked"
    assert 0 < int(response["Retry-After"]) <= 600


def test_unknown_email_case_variants_share_one_counter(limit):
    emails = ["Ghost@example.com", "GHOST@EXAMPLE.COM", "ghost@example.com"]
    assert [login(email, WRONG_PASSWORD).status_code for email in emails] == [401] * 3
    assert login(" ghost@Example.com", WRONG_PASSWORD).status_code == 429


def test_unknown_email_lockout_ends_on_time_and_counting_starts_again(settings):
    # The unknown-email lockout is the life of a cache entry, so it ends on the cache's clock.
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 1
    assert fail_times("ghost@example.com", 4) == [401, 401, 401, 429]
    time.sleep(1.2)
    assert fail_times("ghost@example.com", 4) == [401, 401, 401, 429]


def test_unknown_email_failures_during_a_lockout_do_not_extend_it(settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_SECONDS = 2
    assert fail_times("ghost@example.com", 2) == [401, 401]
    time.sleep(1)
    assert fail_times("ghost@example.com", 3) == [429] * 3
    time.sleep(1.2)  # 2.2 s after the lockout started, whatever came in between
    assert login("ghost@example.com", WRONG_PASSWORD).status_code == 401


def test_unknown_emails_have_separate_counters(limit):
    fail_times("ghost@example.com", limit)
    assert login("another-ghost@example.com", WRONG_PASSWORD).status_code == 401


def test_lockout_of_one_user_leaves_other_users_alone(limit):
    locked = UserFactory()
    other = UserFactory()
    fail_times(locked.email, limit + 1)
    assert login(other.email, DEFAULT_PASSWORD).status_code == 200


def test_unlock_via_api_resets_the_counter_and_lets_the_user_in(limit, admin_api):
    user = UserFactory()
    fail_times(user.email, limit + 1)
    response = admin_api.post(reverse("user-unlock", args=[user.pk]))
    assert response.status_code == 200
    assert response.json()["failed_login_attempts"] == 0
    assert response.json()["locked_until"] is None
    assert response.json()["is_locked"] is False
    user.refresh_from_db()
    assert (user.failed_login_attempts, user.locked_until) == (0, None)
    assert login(user.email, DEFAULT_PASSWORD).status_code == 200


def test_login_authenticate_raises_account_locked_with_seconds_left(limit):
    user = UserFactory()
    for _ in range(limit):
        assert services.login_authenticate(email=user.email, password=WRONG_PASSWORD) is None
    with pytest.raises(services.AccountLocked) as locked:
        services.login_authenticate(email=user.email, password=DEFAULT_PASSWORD)
    assert 590 <= locked.value.retry_after <= 600


def test_limit_of_one_locks_at_the_first_failure(settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    user = UserFactory()
    assert login(user.email, WRONG_PASSWORD).status_code == 401
    assert login(user.email, DEFAULT_PASSWORD).status_code == 429


# --- no enumeration ---------------------------------------------------------------------------


def refused_accounts() -> dict[str, tuple[str, str]]:
    """One login attempt per kind of refusal: name -> (email, password)."""
    wrong = UserFactory(email="wrong@example.com")
    suspended = UserFactory(
        email="suspended@example.com", account_status=User.AccountStatus.SUSPENDED
    )
    pending = UserFactory(
        email="pending@example.com", account_status=User.AccountStatus.PENDING_VERIFICATION
    )
    pending.set_unusable_password()
    pending.save()
    deleted = UserFactory(email="deleted@example.com")
    services.user_soft_delete(user=deleted)
    return {
        "unknown email": ("nobody@example.com", DEFAULT_PASSWORD),
        "wrong password": (wrong.email, WRONG_PASSWORD),
        "suspended": (suspended.email, DEFAULT_PASSWORD),
        "pending verification": (pending.email, DEFAULT_PASSWORD),
        "soft-deleted": (deleted.email, DEFAULT_PASSWORD),
    }


def test_every_refused_login_gets_the_same_status_body_and_headers():
    answers = {
        name: login(email, password) for name, (email, password) in refused_accounts().items()
    }
    reference = answers["unknown email"]
    assert reference.status_code == 401
    assert reference.json() == {
        "detail": "Invalid email or password.",
        "code": "invalid_credentials",
    }
    for name, response in answers.items():
        assert response.status_code == 401, name
        assert response.content == reference.content, name
        assert dict(response.headers) == dict(reference.headers), name
    assert reference["Content-Type"] == "application/json"


def test_suspended_pending_and_deleted_accounts_lock_like_any_other_email(limit):
    for name, (email, password) in refused_accounts().items():
        statuses = [login(email, password).status_code for _ in range(limit + 1)]
        assert statuses == [401] * limit + [429], name


@pytest.mark.real_hasher
def test_every_login_path_runs_the_password_hasher_once():
    accounts = refused_accounts()
    ok = UserFactory(email="ok@example.com")
    assert ok.password.startswith("argon2$")
    attempts = {**accounts, "right password": (ok.email, DEFAULT_PASSWORD)}
    for name, (email, password) in attempts.items():
        with (
            mock.patch.object(
                Argon2PasswordHasher,
                "verify",
                autospec=True,
                side_effect=Argon2PasswordHasher.verify,
            ) as verify,
            mock.patch.object(
                Argon2PasswordHasher,
                "encode",
                autospec=True,
                side_effect=Argon2PasswordHasher.encode,
            ) as encode,
        ):
            response = login(email, password)
        assert response.status_code == (200 if name == "right password" else 401), name
        assert verify.call_count + encode.call_count == 1, name


# --- concurrency (PostgreSQL) -----------------------------------------------------------------


def fail_concurrently(user: User, threads: int) -> list[BaseException]:
    """Have `threads` threads send a wrong password for `user` at once; return their errors."""
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def attempt():
        try:
            barrier.wait(timeout=30)
            services.login_authenticate(email=user.email, password=WRONG_PASSWORD)
        except services.AccountLocked:
            pass
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted(settings):
    settings.LOGIN_FAILURE_LIMIT = 100
    user = UserFactory()
    assert fail_concurrently(user, 20) == []
    user.refresh_from_db()
    assert user.failed_login_attempts == 20
    assert user.locked_until is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_past_the_limit_lock_and_are_all_counted(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    user = UserFactory()
    assert fail_concurrently(user, 20) == []
    user.refresh_from_db()
    assert user.failed_login_attempts == 20
    assert user.is_locked()
    assert login(user.email, DEFAULT_PASSWORD).status_code == 429


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_right_and_wrong_logins_at_the_lockout_edge_lose_no_count(settings):
    """One failure from the limit, 6 wrong and 6 right passwords race: whatever the order, the
    account ends logged in or locked, every success is counted, and the counter matches."""
    settings.LOGIN_FAILURE_LIMIT = 5
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(failed_login_attempts=4)
    attempts = [DEFAULT_PASSWORD if n % 2 else "wrong-password" for n in range(12)]
    barrier = threading.Barrier(len(attempts))
    outcomes: list[tuple[str, int]] = []
    lock = threading.Lock()

    def attempt(password: str) -> None:
        try:
            barrier.wait(timeout=30)
            status = login(user.email, password).status_code
            with lock:
                outcomes.append((password, status))
        finally:
            connection.close()

    workers = [threading.Thread(target=attempt, args=(password,)) for password in attempts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert len(outcomes) == len(attempts)
    right = [status for password, status in outcomes if password == DEFAULT_PASSWORD]
    wrong = [status for password, status in outcomes if password != DEFAULT_PASSWORD]
    assert set(right) <= {200, 429}  # the right password is never "invalid"
    assert set(wrong) <= {401, 429}
    user.refresh_from_db()
    assert user.login_count == right.count(200)
    if user.is_locked():
        assert user.failed_login_attempts >= settings.LOGIN_FAILURE_LIMIT
        assert login(user.email, DEFAULT_PASSWORD).status_code == 429
    else:
        assert right.count(200) >= 1
        assert user.failed_login_attempts < settings.LOGIN_FAILURE_LIMIT
        assert user.failed_login_attempts <= len(wrong)


# --- unknown emails on a real Redis ------------------------------------------------------------


def burst_unknown_email(email: str, threads: int) -> Counter:
    """Send `threads` wrong logins for `email` at once; return how many got 401 and 429."""
    barrier = threading.Barrier(threads)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait(timeout=30)
            try:
                services.login_authenticate(email=email, password=WRONG_PASSWORD)
                outcome = 401
            except services.AccountLocked:
                outcome = 429
            except BaseException as error:  # counted, so the assertion shows it
                outcome = repr(error)
            with lock:
                outcomes[outcome] += 1
        finally:
            connection.close()

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_on_an_unknown_email_lock_at_exactly_the_limit(settings, redis_cache):
    settings.LOGIN_FAILURE_LIMIT = 5
    for burst in range(7):
        outcomes = burst_unknown_email(f"ghost{burst}@example.com", 20)
        assert outcomes == Counter({401: 5, 429: 15}), f"burst {burst}: {outcomes}"
        assert login(f"ghost{burst}@example.com", WRONG_PASSWORD).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_on_an_unknown_email_are_all_counted(settings, redis_cache):
    settings.LOGIN_FAILURE_LIMIT = 100
    for burst in range(3):
        email = f"ghost{burst}@example.com"
        assert burst_unknown_email(email, 50) == Counter({401: 50})
        counter_key, _lock_key = lockout._unknown_email_keys(email)
        assert redis_cache.get(counter_key) == 50


def test_unknown_email_counter_on_redis_expires_with_the_lockout(settings, redis_cache):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 1
    assert fail_times("ghost@example.com", 5) == [401, 401, 401, 429, 429]
    client = redis_cache._cache.get_client()
    counter_key, _lock_key = lockout._unknown_email_keys("ghost@example.com")
    ttl = client.pttl(redis_cache.make_and_validate_key(counter_key))
    assert 0 < ttl <= 1000  # the counter lives as long as the lockout, not a day
    time.sleep(1.2)
    assert fail_times("ghost@example.com", 4) == [401, 401, 401, 429]


def test_unknown_email_counter_lives_a_day_below_the_limit(limit, redis_cache):
    fail_times("ghost@example.com", limit - 1)
    counter_key, _lock_key = lockout._unknown_email_keys("ghost@example.com")
    ttl = redis_cache._cache.get_client().ttl(redis_cache.make_and_validate_key(counter_key))
    assert (
        services.UNKNOWN_EMAIL_COUNTER_SECONDS - 60 < ttl <= services.UNKNOWN_EMAIL_COUNTER_SECONDS
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_on_an_unknown_email_are_exact_on_the_local_memory_cache(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for burst in range(3):
        assert burst_unknown_email(f"ghost{burst}@example.com", 20) == Counter({401: 5, 429: 15})


def test_unknown_email_lockout_works_on_the_database_cache(settings, limit):
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_login_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    assert fail_times("ghost@example.com", limit + 2) == [401] * limit + [429, 429]
    assert login("other-ghost@example.com", WRONG_PASSWORD).status_code == 401
