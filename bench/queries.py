"""Queries/request: every list endpoint's statement count at 100 rows against 10 rows."""

from uuid import UUID

from bench.report import Figure


def query_count_figures(
    *,
    admin_token: str,
    recruiter_token: str,
    transcript_id: UUID,
    histories: dict[int, UUID],
    rows: int,
) -> list[Figure]:
    """In-process (test client), on the fixtures `inprocess.make_list_fixtures` made."""
    from bench import inprocess

    endpoints = [
        ("users", admin_token, "/api/v1/users/?page_size={n}"),
        ("candidates", recruiter_token, "/api/v1/candidates/?page_size={n}"),
        ("resumes", recruiter_token, "/api/v1/resumes/?page_size={n}"),
        ("interviews", recruiter_token, "/api/v1/interviews/?page_size={n}"),
        (
            "transcript",
            recruiter_token,
            f"/api/v1/interviews/{transcript_id}/messages/?page_size={{n}}",
        ),
        ("assessments", recruiter_token, "/api/v1/assessments/?page_size={n}"),
    ]
    counted = [
        (name, token, path.format(n=10), path.format(n=100)) for name, token, path in endpoints
    ]
    counted.append(
        (
            "history",
            recruiter_token,
            f"/api/v1/interviews/{histories[10]}/history/",
            f"/api/v1/interviews/{histories[rows]}/history/",
        )
    )
    return inprocess.query_count_figures(counted)
