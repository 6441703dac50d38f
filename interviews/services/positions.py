"""Positions: an organization's job openings; create, edit, delete while no interview uses one."""

from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from accounts.models import Organization, User
from core.errors import ConflictError, InvalidInput
from core.rows import update_locked
from interviews.models import Position, validate_rubric


class PositionFields(TypedDict, total=False):
    """The fields of a position that position_create and position_update set."""

    title: str
    role_type: str
    experience_level: str
    description: str
    skills: list[dict]
    status: str


class PositionInUse(ConflictError):
    """Raised when a position that interviews are held for is deleted (409)."""

    code = "position_in_use"


def _check_rubric(fields: PositionFields) -> None:
    """Refuse a malformed rubric (400 on `skills`); the API's serializer checks it first."""
    if "skills" not in fields:
        return
    try:
        validate_rubric(fields["skills"])
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="skills") from error


@transaction.atomic
def position_create(
    *, by: User | None, organization: Organization, **fields: Unpack[PositionFields]
) -> Position:
    """Open a position in the organization (the caller picks it: organization_for_write)."""
    _check_rubric(fields)
    return Position.objects.create(organization=organization, created_by=by, **fields)


@transaction.atomic
def position_update(*, position: Position, **fields: Unpack[PositionFields]) -> Position:
    """Change the given fields only, on the row re-read under a lock; never its organization."""
    _check_rubric(fields)
    return update_locked(position, **fields)


@transaction.atomic
def position_delete(*, position: Position) -> None:
    """Delete a position no interview refers to; conflict while any does (close it instead)."""
    try:
        # A savepoint: the refused DELETE must not break the caller's transaction.
        with transaction.atomic():
            position.delete()
    except ProtectedError as error:
        raise PositionInUse(
            "Interviews are held for this position; close it instead of deleting it."
        ) from error
