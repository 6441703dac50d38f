"""Hot reads vs their floor: req/s of the two hot API reads against the floor views."""

import statistics

from bench.driver import Http
from bench.report import Figure, at_least
from bench.scale import Scale
from bench.scratch import BenchError, log


def versus_floor(
    http: Http, name, api, floor, headers, connections, scale: Scale, same_sql, raw
) -> Figure:
    """Throughput of the API and its floor, in alternating rounds (ABBA...)."""
    rows = 50 if "page_size=50" in api else 100
    sizes = {path: http.check_page(path, headers, rows) for path in (api, floor)}

    def job(path: str, seconds: float) -> dict:
        request = {"method": "GET", "path": path, "headers": headers}
        return {
            "name": path,
            "connections": [[request]] * connections,
            "duration": seconds,
            "max_requests": 50_000,
        }

    jobs = [job(api, 1.0), job(floor, 1.0)]  # warm-up: imports, pools, caches
    for number in range(scale.rounds):
        pair = [api, floor] if number % 2 == 0 else [floor, api]
        jobs.extend(job(path, scale.round_seconds) for path in pair)
    results = http.run(jobs)[2:]
    rates = {api: [], floor: []}
    for result in results:
        if result["errors"] or result["ok"] != result["requests"]:
            raise BenchError(f"{result['name']}: {result['statuses']} {result['errors']}")
        rates[result["name"]].append(result["per_second"])
    api_rate, floor_rate = (statistics.median(rates[path]) for path in (api, floor))
    ratio = api_rate / floor_rate
    raw.setdefault("throughput", {})[name] = {
        "rounds": results,
        "bytes": sizes,
        "same_sql": same_sql,
    }
    same, statements = same_sql
    log(f"{name}: API {api_rate:.0f}/s, floor {floor_rate:.0f}/s; bytes {sizes}")
    return Figure(
        name=name,
        measured=(
            f"API {api_rate:.0f} req/s, floor {floor_rate:.0f} req/s "
            f"({statements}, {'same SQL' if same else 'SQL DIFFERS'})"
        ),
        ratio=f"{ratio:.2f}",
        goal=">= 0.5",
        met=at_least(ratio, 0.5) and same,
    )
