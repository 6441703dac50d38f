"""How much data the bench loads and how long it measures: the full run and `--quick`."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """Data sizes and measuring times; `--quick` shrinks them for a smoke run."""

    candidates: int = 1000
    messages: int = 1000
    long_transcript: int = 100_000
    assessments: int = 100_000
    list_rows: int = 100
    round_seconds: float = 4.0
    rounds: int = 3
    latency_pairs: int = 40
    logins: int = 40
    hashes: int = 30
    append_seconds: float = 6.0
    sql_runs: int = 15
    # Ours vs the peer (bench/stack.py): interviews in all before the 1x figures (0: as they
    # are), whether to measure again at 10x the rows, and wrk's rounds (whole seconds).
    stack_interviews: int = 2000
    scale10: bool = True
    stack_rounds: int = 3
    stack_round_seconds: float = 3.0
    stack_warmup: float = 1.0


QUICK = Scale(
    candidates=150,
    messages=200,
    long_transcript=10_000,
    assessments=5_000,
    round_seconds=1.5,
    rounds=2,
    latency_pairs=15,
    logins=31,
    hashes=30,
    append_seconds=2.0,
    sql_runs=5,
    stack_interviews=0,
    scale10=False,
    stack_rounds=2,
    stack_round_seconds=1.0,
    stack_warmup=1.0,
)
