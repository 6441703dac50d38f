"""Bulk writing of text rows: COPY FROM STDIN on PostgreSQL, batched INSERTs elsewhere.

Also the cheap makers of the values the rows hold (UUIDv7 ids, whole-second timestamps as
text) and the foreign-key trick of PostgreSQL's bulk-load advice.
"""

import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import connection

COPY_CHUNK_ROWS = 5000  # rows per INSERT batch
COPY_CHUNK_CHARS = 1 << 20  # characters per COPY write


class Ids:
    """Time-ordered UUIDv7 values as 32 hex digits: a random 20-digit prefix from a fresh
    UUIDv7 (time, version, variant) and a 12-digit counter in its random tail (RFC 9562
    allows a counter there), so ids are unique, valid and cheap to make."""

    def __init__(self, rng: random.Random):
        now_ms = int(time.time() * 1000)
        value = (now_ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62)
        value |= rng.getrandbits(14) << 48
        self.prefix = f"{value:032x}"[:20]
        self.counter = 0

    def next(self) -> str:
        self.counter += 1
        return f"{self.prefix}{self.counter:012x}"


class BulkWriter:
    """Write rows of text values into a table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, on_rows: Callable[[int], None]):
        self.postgres = connection.vendor == "postgresql"
        self.on_rows = on_rows

    def timestamp(self, moment: datetime) -> str:
        if self.postgres:
            return moment.isoformat()
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")

    def write(self, model, columns: list[str], rows: Iterable[tuple | str]) -> int:
        """Write `rows`: tuples of text values (None for NULL), or, on PostgreSQL, blocks of
        one or more lines already in COPY text format (the caller has escaped them)."""
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for data in _copy_blocks(rows):
                        copy.write(data)
                        lines = data.count("\n")  # one per row: values escape theirs
                        count += lines
                        self.on_rows(lines)
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
                for chunk in _chunks(rows, COPY_CHUNK_ROWS):
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
                    self.on_rows(len(chunk))
        return count


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    return "\\N" if value is None else value.translate(_COPY_ESCAPES)


def _copy_blocks(rows: Iterable[tuple | str]) -> Iterator[str]:
    """Join rows into COPY data of about COPY_CHUNK_CHARS characters each."""
    block: list[str] = []
    size = 0
    for row in rows:
        text = row if isinstance(row, str) else "\t".join(map(_copy_text, row)) + "\n"
        block.append(text)
        size += len(text)
        if size >= COPY_CHUNK_CHARS:
            yield "".join(block)
            block, size = [], 0
    if block:
        yield "".join(block)


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Clock:
    """Format whole-second UTC timestamps fast: the date part is cached per day, the time of
    day read from a table of the day's 86,400 seconds, built on first use."""

    def __init__(self, postgres: bool):
        self.suffix = "+00" if postgres else ""
        self.days: dict[int, str] = {}
        self.seconds: list[str] = []

    def _date(self, day: int) -> str:
        date = self.days.get(day)
        if date is None:
            date = self.days[day] = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d ")
        return date

    def series(self, first: int, step: int, count: int) -> list[str]:
        """The texts of `count` moments `step` seconds apart from epoch `first` (step < 1 day)."""
        if not self.seconds:
            self.seconds = [
                f"{h:02d}:{m:02d}:{s:02d}{self.suffix}"
                for h in range(24)
                for m in range(60)
                for s in range(60)
            ]
        day, second = divmod(first, 86400)
        date, table, texts = self._date(day), self.seconds, []
        for _ in range(count):
            texts.append(date + table[second])
            second += step
            if second >= 86400:
                day, second = day + 1, second - 86400
                date = self._date(day)
        return texts


@contextmanager
def foreign_keys_checked_once(model, postgres: bool):
    """Drop the table's foreign keys for the load and add them back after it, inside the
    caller's transaction: PostgreSQL then checks every row in one join when the constraint is
    added, instead of one locking lookup per row (the bulk-load advice of its manual)."""
    if not postgres:
        yield
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        foreign_keys = cursor.fetchall()
        quote = connection.ops.quote_name
        for name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
