"""Fail fast while the database is down: one circuit breaker per server process.

Without it every request of an outage waits for a database connection in its turn, up to
DB_POOL_TIMEOUT, and a few threads stuck like that stop the whole server. With it, the first
request whose connection fails opens the breaker; for DB_OUTAGE_RETRY_SECONDS every request then
answers 503 at once (config.middleware.DatabaseUnavailableMiddleware). After that, one probe at a
time, in a background thread so that no request waits for it, tries the database; the breaker
closes as soon as one succeeds, and stays open for another interval otherwise. `/health/database`
is never refused: it always asks the database, and what it finds opens or closes the breaker too.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


class DatabaseBreaker:
    """Open after a failed connection, closed after a successful probe; safe across threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._open_until: float | None = None  # None: closed
        self._probing = False

    @property
    def retry_seconds(self) -> float:
        return settings.DB_OUTAGE_RETRY_SECONDS

    @property
    def is_open(self) -> bool:
        return self._open_until is not None

    def admit(self, probe: Callable[[], object]) -> bool:
        """Return whether a request may use the database now.

        While the breaker is open the answer is no; once its interval is over, the first caller
        starts `probe` (which raises when the database is unreachable) in a background thread,
        and the breaker stays open until that probe has answered.
        """
        if self._open_until is None:
            return True
        with self._lock:
            if self._open_until is None:
                return True
            if self._probing or self._clock() < self._open_until:
                return False
            self._probing = True
        threading.Thread(
            target=self._probe, args=(probe,), name="database-probe", daemon=True
        ).start()
        return False

    def record_failure(self, error: BaseException) -> None:
        """Open the breaker (again) for the retry interval: a connection could not be made."""
        if self.retry_seconds <= 0:
            return
        with self._lock:
            opening = self._open_until is None
            self._open_until = self._clock() + self.retry_seconds
        if opening:
            logger.warning(
                "database unreachable, answering 503 at once and retrying every %s s: %s",
                self.retry_seconds,
                str(error).strip() or error.__class__.__name__,
            )

    def record_success(self) -> None:
        """Close the breaker: the database answered."""
        with self._lock:
            closing = self._open_until is not None
            self._open_until = None
        if closing:
            logger.warning("database reachable again")

    def reset(self) -> None:
        """Forget every failure (tests start from a closed breaker)."""
        with self._lock:
            self._open_until = None
            self._probing = False

    def _probe(self, probe: Callable[[], object]) -> None:
        try:
            probe()
        except Exception as error:  # an unreachable database is the expected failure
            self.record_failure(error)
        else:
            self.record_success()
        finally:
            # The probe thread's own connection (without a pool) must not outlive the probe.
            connections[DEFAULT_DB_ALIAS].close()
            with self._lock:
                self._probing = False


database_breaker = DatabaseBreaker()


def record_database_error(error: BaseException) -> None:
    """Open the breaker if `error` came from a connection that could not be made.

    A failed query on a working connection (a deadlock, a timeout) says nothing about the
    database being down; a request left with no connection at all does.
    """
    if connections[DEFAULT_DB_ALIAS].connection is None:
        database_breaker.record_failure(error)
