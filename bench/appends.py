"""Appends/s: concurrent transcript writers on one interview and on one interview each."""

from bench.driver import Http
from bench.report import Figure
from bench.scale import Scale
from bench.scratch import ScratchDatabase
from bench.seed_copy import verify_transcripts


def appends(
    http: Http, db: ScratchDatabase, interviews, headers, scale: Scale, raw
) -> list[Figure]:
    """8 concurrent writers on one interview, then on 8 interviews (one each)."""
    writers = 8

    def request(interview_id, number: int) -> dict:
        return {
            "method": "POST",
            "path": f"/api/v1/interviews/{interview_id}/messages/",
            "headers": headers,
            "body": {
                "message_type": "ai_question" if number % 2 else "candidate_response",
                "content_text": f"Bench message from writer {number}.",
                "tokens_used": 10 + number,
                "cost_usd": "0.0020",
            },
        }

    one, many = interviews[0], interviews[1 : 1 + writers]
    jobs = [
        {
            "name": "one interview",
            "connections": [[request(one, n)] for n in range(writers)],
            "duration": scale.append_seconds,
            "max_requests": 20_000,
        },
        {
            "name": f"{writers} interviews",
            "connections": [[request(many[n], n)] for n in range(writers)],
            "duration": scale.append_seconds,
            "max_requests": 20_000,
        },
    ]
    results = http.run(jobs)
    figures = []
    rates = []
    for result, ids in zip(results, ([one], many), strict=True):
        with db.connect() as conn:
            checks = verify_transcripts(conn, ids)
        created = result["statuses"].get("201", 0)
        other = {k: v for k, v in result["statuses"].items() if k != "201"}
        sound = (
            checks["gapped"] == 0
            and checks["counters_off"] == 0
            and checks["organizations_off"] == 0
            and checks["messages"] == created
            and not other
            and not result["errors"]
        )
        rates.append(result["per_second"])
        raw.setdefault("appends", {})[result["name"]] = {**result, "checks": checks}
        figures.append(
            Figure(
                name=f"appends/s, {writers} writers on {result['name']}",
                measured=(
                    f"{result['per_second']:.0f}/s, p50 {result['latency_ms']['p50']:.0f} ms; "
                    f"{checks['messages']} messages, {checks['gapped']} gaps, "
                    f"{checks['counters_off']} counters off"
                    + (
                        f", {checks['organizations_off']} across organizations"
                        if checks["organizations_off"]
                        else ""
                    )
                    + (f", other answers {other}" if other else "")
                    + (f", {result['errors']} errors" if result["errors"] else "")
                ),
                ratio="-" if len(rates) == 1 else f"{rates[1] / rates[0]:.2f} vs one",
                goal="report; 0 gaps",
                met=sound,
            )
        )
    return figures
