"""JSON filters: the API's SQL for two assessment filters, default plan vs sequential scans."""

from bench.report import Figure
from bench.scale import Scale
from bench.scratch import log


def json_filter_figures(
    db, inprocess, token: str, organization_id, count: int, scale: Scale, raw
) -> list[Figure]:
    """The API's SQL for two JSON filters, and their predicate alone, with the planner's
    default plan vs index and bitmap scans off.

    `token` is a recruiter's, of `organization_id`: the skill filter scans that organization's
    skill rows (the (organization, skill, score) index), as the API does for its members."""
    table_name = "assessments_assessmentresult"
    # (query, the indexes that may serve it, the filter's predicate, a marker of it in the API's
    # SQL). The skill rows of one organization: its (organization, skill, score) index, or the
    # (skill, score) one when the organization holds most rows (the bench's single team).
    flags = f""""{table_name}"."integrity_flags" @> '["tab_switch"]'::jsonb"""
    cases = [
        ("integrity_flag=tab_switch", ("assessments_flags_gin",), flags, flags),
        (
            "skill=python&min_skill_score=90",
            ("assessments_org_skill_idx", "assessments_skill_score_idx"),
            f""""{table_name}"."id" IN (SELECT "assessment_id" FROM """
            """"assessments_assessmentskillscore" WHERE "skill" = 'python' """
            f"""AND "organization_id" = '{organization_id}'::uuid AND "score" >= 90)""",
            '"assessments_assessmentskillscore"',
        ),
    ]
    figures = []
    for query, indexes, predicate, marker in cases:
        statements = inprocess.api_statements(f"/api/v1/assessments/?{query}", token, table_name)
        if not all(marker in statement for statement in statements):
            log(f"{query}: the API's SQL no longer contains {marker}; timing it anyway")
        alone = [f'SELECT count(*) FROM "{table_name}" WHERE {predicate}']
        for label, sql_statements in (
            (f"assessments?{query}, {count:,} rows (API SQL: count + page)", statements),
            ("  the filter's predicate alone: count(*) WHERE ...", alone),
        ):
            figure, timing = inprocess.json_filter_figure(
                label=label,
                url=db.url,
                statements=sql_statements,
                indexes=indexes,
                runs=scale.sql_runs,
                goal=10,
            )
            raw.setdefault("json_filters", {})[f"{query}: {label.strip()}"] = {
                "statements": sql_statements,
                **timing,
            }
            log(
                f"{query} | {label.strip()}: "
                + ", ".join(
                    f"{mode} best {timing[mode]['ms']:.1f} ms (median "
                    f"{timing[mode]['median_ms']:.1f}) {timing[mode]['nodes']}"
                    for mode in ("indexed", "sequential")
                )
            )
            figures.append(figure)
    return figures
