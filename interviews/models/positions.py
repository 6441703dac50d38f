"""Positions: an organization's job openings, with the skill rubric the engine scores against."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models

from accounts.tenancy import TenantQuerySet, organization_key
from core.constraints import enum_check, min_length_check
from core.models import TimestampedModel
from interviews.models.candidates import ExperienceLevel
from interviews.models.interviews import RoleType

MAX_RUBRIC_SKILLS = 50


def validate_rubric(value) -> None:
    """Accept a list of at most 50 `{skill, weight}` objects: a distinct skill name (1..100
    characters) and a weight between 0 and 100 (exclusive of 0)."""
    if not isinstance(value, list):
        raise ValidationError("The rubric is a list of {skill, weight} objects.", code="invalid")
    if len(value) > MAX_RUBRIC_SKILLS:
        raise ValidationError(f"A rubric has at most {MAX_RUBRIC_SKILLS} skills.", code="invalid")
    seen = set()
    for item in value:
        if not isinstance(item, dict) or set(item) != {"skill", "weight"}:
            raise ValidationError(
                "Each rubric entry is an object with exactly `skill` and `weight`.", code="invalid"
            )
        skill, weight = item["skill"], item["weight"]
        if not isinstance(skill, str) or not 1 <= len(skill.strip()) <= 100:
            raise ValidationError(
                "A rubric skill is a name of 1 to 100 characters.", code="invalid"
            )
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 100:
            raise ValidationError(
                "A rubric weight is a number above 0, at most 100.", code="invalid"
            )
        if skill.strip().lower() in seen:
            raise ValidationError(f"The skill “{skill}” appears twice.", code="invalid")
        seen.add(skill.strip().lower())


class PositionStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Position(TimestampedModel):
    """A job opening of an organization, which interviews are held for."""

    Status = PositionStatus

    organization = organization_key()
    title = models.CharField(max_length=200, validators=[MinLengthValidator(2)])
    role_type = models.CharField(max_length=16, choices=RoleType.choices)
    experience_level = models.CharField(
        max_length=16, choices=ExperienceLevel.choices, default=ExperienceLevel.MID
    )
    description = models.TextField(blank=True, default="")
    skills = models.JSONField(default=list, blank=True, validators=[validate_rubric])
    status = models.CharField(
        max_length=16, choices=PositionStatus.choices, default=PositionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            min_length_check(
                "title", 2, violation_error_message="A title has at least 2 characters."
            ),
            enum_check("role_type", RoleType),
            enum_check("experience_level", ExperienceLevel),
            enum_check(
                "status", PositionStatus, violation_error_message="Unknown position status."
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "-created_at"], name="interviews_position_org_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title
