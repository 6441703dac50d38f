"""Seed vs COPY: `manage.py seed` against a raw binary COPY, and the one-query data check."""

import io
import re
import time

import psycopg

from bench.report import Figure, at_least
from bench.scale import Scale
from bench.scratch import ScratchDatabase, log, manage

COPY_CHUNK = 1 << 20


VERIFY_SQL = """
WITH per_interview AS (
    SELECT i.id, i.message_count, i.total_tokens_used, i.cost_usd,
           s.questions_asked_count,
           count(m.id) AS messages,
           coalesce(min(m.sequence_number), 1) AS first_number,
           coalesce(max(m.sequence_number), 0) AS last_number,
           coalesce(sum(m.tokens_used), 0) AS tokens,
           coalesce(sum(m.cost_usd), 0) AS cost,
           count(m.id) FILTER (WHERE m.message_type = 'ai_question') AS questions,
           count(m.id) FILTER (WHERE m.organization_id <> i.organization_id)
             + (c.organization_id <> i.organization_id)::int
             + coalesce((s.organization_id <> i.organization_id)::int, 0) AS foreign_rows
    FROM interviews_interview i
    JOIN interviews_candidate c ON c.id = i.candidate_id
    LEFT JOIN interviews_interviewsession s ON s.interview_id = i.id
    LEFT JOIN interviews_interviewmessage m ON m.interview_id = i.id
    {where}
    GROUP BY i.id, c.organization_id, s.organization_id, s.questions_asked_count
)
SELECT count(*),
       coalesce(sum(messages), 0),
       count(*) FILTER (WHERE first_number <> 1 OR last_number <> messages),
       count(*) FILTER (
           WHERE message_count <> messages OR total_tokens_used <> tokens OR cost_usd <> cost
              OR coalesce(questions_asked_count, questions) <> questions
       ),
       count(*) FILTER (WHERE foreign_rows > 0)
FROM per_interview
"""


def verify_transcripts(conn: psycopg.Connection, ids=None) -> dict[str, int]:
    """Gapless sequence numbers 1..N, counters equal to the sums, and the candidate, session
    and messages in the interview's organization (`organizations_off`: interviews with a row
    of another organization), in one query."""
    where = "WHERE i.id = ANY(%s)" if ids is not None else ""
    params = [list(ids)] if ids is not None else []
    interviews, messages, gapped, counters_off, organizations_off = conn.execute(
        VERIFY_SQL.format(where=where), params
    ).fetchone()
    return {
        "interviews": interviews,
        "messages": int(messages),
        "gapped": gapped,
        "counters_off": counters_off,
        "organizations_off": organizations_off,
    }


def seed_vs_copy(db: ScratchDatabase, env, scale: Scale, raw) -> list[Figure]:
    with db.connect(autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    command = [
        "seed",
        "--candidates",
        str(scale.candidates),
        "--interviews-per-candidate",
        "1",
        "--messages-per-interview",
        str(scale.messages),
        "--seed",
        "1",
    ]
    log(f"manage.py {' '.join(command)}")
    seed_seconds, output = manage(env, *command, timeout=900)
    seeded_by = "manage.py seed"
    reported = re.search(r"([\d.]+) s \(", output)
    log(f"seed: {seed_seconds:.1f} s wall ({reported.group(1) if reported else '?'} s inside)")

    with db.connect() as conn:
        buffer = io.BytesIO()
        with conn.cursor().copy(
            "COPY interviews_interviewmessage TO STDOUT (FORMAT BINARY)"
        ) as copy:
            for block in copy:
                buffer.write(block)
        conn.execute("CREATE TABLE bench_copy (LIKE interviews_interviewmessage INCLUDING ALL)")
        conn.commit()
        conn.execute("CHECKPOINT")
        conn.commit()
        data = buffer.getbuffer()
        began = time.perf_counter()
        with conn.cursor().copy("COPY bench_copy FROM STDIN (FORMAT BINARY)") as copy:
            for start in range(0, len(data), COPY_CHUNK):
                copy.write(data[start : start + COPY_CHUNK])
        conn.commit()
        copy_seconds = time.perf_counter() - began
        copied = conn.execute("SELECT count(*) FROM bench_copy").fetchone()[0]
        conn.execute("DROP TABLE bench_copy")
        conn.commit()
        data.release()
        checks = verify_transcripts(conn)
    megabytes = buffer.getbuffer().nbytes / 2**20
    log(f"COPY {copied:,} rows ({megabytes:.0f} MiB binary) in {copy_seconds:.1f} s")
    log(f"seed check: {checks}")
    raw["seed"] = {
        "seeded_by": seeded_by,
        "seed_seconds": seed_seconds,
        "seed_reported_seconds": float(reported.group(1)) if reported else None,
        "copy_seconds": copy_seconds,
        "copy_rows": copied,
        "copy_mib": megabytes,
        "checks": checks,
        "output": output,
    }
    ratio = copy_seconds / seed_seconds
    expected = scale.candidates * scale.messages
    valid = (
        checks["gapped"] == 0
        and checks["counters_off"] == 0
        and checks["organizations_off"] == 0
        and copied == expected
    )
    return [
        Figure(
            name=f"seed vs raw COPY ({expected:,} messages; {seeded_by})",
            measured=f"seed {seed_seconds:.1f} s (whole command), COPY {copy_seconds:.1f} s",
            ratio=f"{ratio:.2f}",
            goal=">= 0.5",
            met=at_least(ratio, 0.5),
        ),
        Figure(
            name="seeded data valid (one SQL check)",
            measured=(
                f"{checks['interviews']:,} interviews, {checks['messages']:,} messages: "
                f"{checks['gapped']} gapped, {checks['counters_off']} counters off, "
                f"{checks['organizations_off']} across organizations"
            ),
            ratio="-",
            goal="0 bad",
            met=valid,
        ),
    ]
