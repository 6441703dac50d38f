"""Query filters of the candidate, resume, interview and position lists. A filter naming a row
is a UUIDFilter, never a choice among rows: another organization's id then matches nothing,
exactly as an id of no row does, and tells nothing."""

import django_filters

from core.api.filters import IsoDateTimeFilter
from interviews.models import (
    Candidate,
    ExperienceLevel,
    Interview,
    ParsingStatus,
    Position,
    Resume,
    RoleType,
)


class CandidateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Candidate.Status.choices)
    experience_level = django_filters.MultipleChoiceFilter(
        choices=Candidate.ExperienceLevel.choices
    )
    target_role = django_filters.CharFilter(lookup_expr="icontains")
    # Admins narrow to one organization; everyone else sees one organization already.
    organization = django_filters.UUIDFilter(field_name="organization_id")
    created_after = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Candidate
        fields = ["status", "experience_level", "target_role"]


class ResumeFilter(django_filters.FilterSet):
    candidate = django_filters.UUIDFilter(field_name="candidate_id")
    parsing_status = django_filters.ChoiceFilter(choices=ParsingStatus.choices)
    organization = django_filters.UUIDFilter(field_name="organization_id")

    class Meta:
        model = Resume
        fields = ["candidate", "parsing_status", "organization"]


class InterviewFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Interview.Status.choices, distinct=False)
    role_type = django_filters.MultipleChoiceFilter(
        choices=Interview.RoleType.choices, distinct=False
    )
    candidate = django_filters.UUIDFilter(field_name="candidate_id")
    # Like `candidate`, an id the caller cannot see (another organization's) matches no rows.
    position = django_filters.UUIDFilter(field_name="position_id")
    organization = django_filters.UUIDFilter(field_name="organization_id")
    created_after = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    started_after = IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = IsoDateTimeFilter(field_name="started_at", lookup_expr="lt")
    min_score = django_filters.NumberFilter(
        field_name="assessment__overall_score", lookup_expr="gte", min_value=0, max_value=100
    )
    max_score = django_filters.NumberFilter(
        field_name="assessment__overall_score", lookup_expr="lte", min_value=0, max_value=100
    )

    class Meta:
        model = Interview
        fields = ["status", "role_type", "candidate", "position"]


class PositionFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Position.Status.choices, distinct=False)
    role_type = django_filters.MultipleChoiceFilter(choices=RoleType.choices, distinct=False)
    experience_level = django_filters.MultipleChoiceFilter(
        choices=ExperienceLevel.choices, distinct=False
    )
    # Admins narrow to one organization; everyone else sees one organization already.
    organization = django_filters.UUIDFilter(field_name="organization_id")

    class Meta:
        model = Position
        fields = ["status", "role_type", "experience_level", "organization"]
