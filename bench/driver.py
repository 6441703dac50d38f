"""The bench's HTTP client: it drives the load process (bench/load.py) against a server."""

import json
import subprocess
import sys

from bench.scratch import ROOT, BenchError


class Http:
    """Drives the load process (bench/load.py) against the bench's gunicorn."""

    def __init__(self, port: int):
        self.port = port

    def run(self, jobs: list[dict]) -> list[dict]:
        for job in jobs:
            job["port"] = self.port
        limit = sum(float(job.get("duration", 5)) for job in jobs) + 120
        try:
            done = subprocess.run(
                [sys.executable, "-m", "bench.load"],
                input=json.dumps(jobs),
                capture_output=True,
                text=True,
                timeout=limit,
                cwd=ROOT,
            )
        except subprocess.TimeoutExpired as error:
            raise BenchError("the load process did not finish in time") from error
        if done.returncode != 0:
            raise BenchError(f"the load process failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout)

    def one(self, method: str, path: str, headers=None, body=None) -> tuple[int, dict]:
        request = {"method": method, "path": path, "headers": headers or {}, "body": body}
        result = self.run(
            [{"connections": [[request]], "once": True, "duration": 30, "keep_bodies": True}]
        )[0]
        if not result["bodies"][0]:
            raise BenchError(f"{method} {path}: no answer ({result['error_samples']})")
        status, text = result["bodies"][0][0]
        try:
            return status, json.loads(text)
        except json.JSONDecodeError as error:
            raise BenchError(f"{method} {path} answered {status}: {text[:300]}") from error

    def login(self, emails: list[str], password: str) -> dict[str, str]:
        tokens = {}
        for email in emails:
            status, body = self.one(
                "POST", "/api/v1/auth/login/", body={"email": email, "password": password}
            )
            if status != 200:
                raise BenchError(f"login of {email} answered {status}: {body}")
            tokens[email] = body["token"]
        return tokens

    def check_page(self, path: str, headers: dict, rows: int) -> int:
        status, body = self.one("GET", path, headers)
        if status != 200 or len(body.get("results", [])) != rows:
            raise BenchError(f"GET {path} answered {status} with an unexpected body")
        return len(json.dumps(body))
