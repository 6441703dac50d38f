"""Login and lockout: the password check, failure counters (in the database for accounts, in
the cache for unknown emails), and unlocking. Every function is keyword-only."""

import hashlib
import logging
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from accounts.emails import normalize_email
from accounts.models import User
from core.cache import cache_errors

logger = logging.getLogger(__name__)

# Unknown emails keep their failure count this long in the cache (real users keep theirs until
# a successful login); a day is far longer than any burst of guesses.
UNKNOWN_EMAIL_COUNTER_SECONDS = 24 * 3600


class AccountLocked(Exception):
    """Raised when an email is locked out; `retry_after` is in whole seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"Locked for another {retry_after} seconds.")
        self.retry_after = max(1, retry_after)


class LoginUnavailable(Exception):
    """Raised for every login while the cache (unknown-email counts, throttles) is unreachable;
    the API answers 503, the admin login form shows an error."""


def login_unavailable(cause: Exception) -> LoginUnavailable:
    """Log that logins are refused because the cache is down; return the error to raise."""
    logger.warning("Login refused: the cache is unreachable (%s: %s).", type(cause).__name__, cause)
    return LoginUnavailable(f"The cache is unreachable: {cause}")


def _seconds_until(moment: datetime, now: datetime) -> int:
    return math.ceil((moment - now).total_seconds())


def login_authenticate(*, email: str, password: str) -> User | None:
    """Return the user whose email and password match, or None; raise AccountLocked.

    The password hasher runs exactly once on every path, so the answer takes the same time for
    unknown emails, wrong passwords and unusable accounts. Failure counts are updated with one
    SQL UPDATE (no read-modify-write in Python), so concurrent failures are counted exactly.
    """
    email = normalize_email(email)
    _require_cache(email=email)
    user = User.objects.with_email(email).select_related("organization").first()
    if user is None:
        make_password(password)  # same cost as a real check
        _unknown_email_record_failure(email=email)
        return None

    password_ok = user.check_password(password)
    now = timezone.now()
    if password_ok and user.can_log_in and not user.is_locked(now):
        if _login_record_success(user=user, now=now):
            return user
        # A concurrent failure locked the account between our read and our write.
        user.refresh_from_db(fields=["locked_until"])
        raise AccountLocked(_seconds_until(user.locked_until, now))
    if password_ok and user.is_locked(now):
        raise AccountLocked(_seconds_until(user.locked_until, now))

    attempts, locked_until = _login_record_failure(user=user, now=now)
    if locked_until is not None and (
        attempts > settings.LOGIN_FAILURE_LIMIT or user.is_locked(now)
    ):
        # The lockout was already running: this attempt did not reach the limit, it came after.
        raise AccountLocked(_seconds_until(locked_until, now))
    return None


def _login_record_success(*, user: User, now: datetime) -> bool:
    """Reset the failure counter unless a lockout started meanwhile; return whether it did."""
    updated = (
        User.all_objects.filter(pk=user.pk)
        .exclude(locked_until__gt=now)
        .update(
            failed_login_attempts=0,
            locked_until=None,
            last_login=now,
            login_count=F("login_count") + 1,
        )
    )
    if updated:
        user.failed_login_attempts, user.locked_until, user.last_login = 0, None, now
        user.login_count += 1
    return bool(updated)


@transaction.atomic
def _login_record_failure(*, user: User, now: datetime) -> tuple[int, datetime | None]:
    """Count one failure atomically and lock at the limit; return (attempts, locked_until).

    A running lockout is never extended. Once a lockout has expired, the count starts again.
    """
    limit = settings.LOGIN_FAILURE_LIMIT
    lock_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    running = Q(locked_until__gt=now)
    expired = Q(locked_until__isnull=False, locked_until__lte=now)
    User.all_objects.filter(pk=user.pk).update(
        failed_login_attempts=Case(
            When(expired, then=Value(1)), default=F("failed_login_attempts") + 1
        ),
        last_failed_login_at=now,
        locked_until=Case(
            When(running, then=F("locked_until")),
            When(expired, then=Value(lock_until if limit <= 1 else None)),
            When(failed_login_attempts__gte=limit - 1, then=Value(lock_until)),
            default=Value(None),
            output_field=DateTimeField(),
        ),
    )
    # Our UPDATE holds the row lock until commit, so this reads exactly what it wrote.
    return (
        User.all_objects.filter(pk=user.pk)
        .values_list("failed_login_attempts", "locked_until")
        .get()
    )


def _unknown_email_keys(email: str) -> tuple[str, str]:
    digest = hashlib.sha256(email.encode()).hexdigest()
    return f"login-failures:{digest}", f"login-locked:{digest}"


def _require_cache(*, email: str) -> None:
    """Raise LoginUnavailable unless the cache answers; run for every email, known or not.

    Unknown emails are counted in the cache, so without it their lockout cannot be enforced.
    Refusing every login alike (before the database is read or any counter moves) keeps the
    answer the same for every email, now and after the cache comes back.
    """
    try:
        cache.get(_unknown_email_keys(email)[0])
    except cache_errors() as error:
        raise login_unavailable(error) from error


def _unknown_email_record_failure(*, email: str) -> None:
    """Count a failure for an email with no live account, locking it like a real one.

    One counter per email, moved only by the cache's atomic increment (exact on Redis and the
    local-memory cache; the database cache's increment is a read and a write, so concurrent
    failures there can be undercounted). The count decides: the failure that reaches the limit
    answers 401 and starts the lockout by shortening the counter's life to the lockout; every
    later one answers 429 until the counter expires with the lockout, and counting starts
    again. Nothing deletes the counter, and failures during a lockout do not extend it.
    """
    counter_key, lock_key = _unknown_email_keys(email)
    limit = settings.LOGIN_FAILURE_LIMIT
    lockout = settings.LOGIN_LOCKOUT_SECONDS
    now = timezone.now().timestamp()
    try:
        attempts = _increment(counter_key, timeout=UNKNOWN_EMAIL_COUNTER_SECONDS)
        if attempts == limit:
            cache.touch(counter_key, timeout=lockout)
            cache.set(lock_key, now + lockout, timeout=lockout)  # for Retry-After only
        elif attempts > limit:
            locked_until = cache.get(lock_key)
    except cache_errors() as error:
        raise login_unavailable(error) from error
    if attempts > limit:
        retry_after = lockout if locked_until is None else math.ceil(locked_until - now)
        raise AccountLocked(retry_after)


def _increment(key: str, *, timeout: int) -> int:
    """Add one to a cache counter, creating it with `timeout`; return the new value."""
    for _attempt in range(3):
        cache.add(key, 0, timeout=timeout)
        try:
            value = cache.incr(key)
        except ValueError:  # the counter expired between add() and incr(): add it again
            continue
        if value == 1:
            # Redis' INCR creates a key that expired just before it without an expiry: give
            # the new counter its lifetime, whoever created it.
            cache.touch(key, timeout=timeout)
        return value
    raise login_unavailable(RuntimeError(f"the cache keeps losing the counter {key}"))


def unknown_email_unlock(*, email: str) -> None:
    """Forget the failures recorded for an email that has no account."""
    cache.delete_many(_unknown_email_keys(normalize_email(email)))


def user_unlock(*, user: User) -> User:
    """End a lockout and reset the failure counter."""
    User.all_objects.filter(pk=user.pk).update(failed_login_attempts=0, locked_until=None)
    try:
        unknown_email_unlock(email=user.email)
    except cache_errors() as error:
        # The account's own counter is in the database and is reset; what the cache held for
        # this email (from before it had an account) is not read for a real account.
        logger.warning("Unlock of %s could not clear the cache: %s", user.pk, error)
    user.refresh_from_db()
    return user
