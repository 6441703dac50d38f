"""Organizations: create, rename and configure, suspend and reactivate, delete; and which
organization a write lands in when a user makes it."""

from typing import TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from accounts.models import Organization, Role, User
from core.errors import ConflictError, InvalidInput
from core.rows import update_locked


class OrganizationFields(TypedDict, total=False):
    """The fields of an organization organization_update sets."""

    name: str
    slug: str
    status: str
    retention_days: int


class OrganizationInUse(ConflictError):
    """Raised when an organization that still owns users or rows is deleted."""

    code = "organization_in_use"


class OrganizationSlugTaken(ConflictError):
    code = "slug_taken"


class OtherOrganization(InvalidInput):
    """A member of one organization named another one (400)."""


def organization_for_write(*, by: User, requested: Organization | None) -> Organization:
    """Return the organization a row `by` creates belongs to (SPEC section 9).

    An admin picks any organization; none given is `default`. An owner, recruiter or engine
    always writes into its own; naming another one is a 400. Nobody else writes tenant rows.
    """
    if by.role == Role.ADMIN:
        return requested if requested is not None else Organization.objects.default()
    if by.role in User.ORGANIZATION_ROLES:
        if requested is not None and requested.pk != by.organization_id:
            raise OtherOrganization(
                "You can only create rows in your own organization.", field="organization"
            )
        return by.organization
    raise OtherOrganization("This account belongs to no organization.", field="organization")


def _check_slug_free(slug: str, *, exclude: Organization | None = None) -> str:
    slug = slug.lower()
    taken = Organization.objects.filter(slug=slug)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise OrganizationSlugTaken("An organization with this slug already exists.")
    return slug


def _slug_race(write, slug: str, *, exclude: Organization | None = None) -> Organization:
    """Run `write` in a savepoint; a unique violation because a concurrent request took the
    slug between our check and our write is the same 409 as one the check saw."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        _check_slug_free(slug, exclude=exclude)  # raises OrganizationSlugTaken if that was it
        raise


@transaction.atomic
def organization_create(
    *, name: str, slug: str, **fields: Unpack[OrganizationFields]
) -> Organization:
    """Create an organization; conflict when its slug is taken."""
    slug = _check_slug_free(slug)
    return _slug_race(lambda: Organization.objects.create(name=name, slug=slug, **fields), slug)


@transaction.atomic
def organization_update(
    *, organization: Organization, **fields: Unpack[OrganizationFields]
) -> Organization:
    """Change the given fields on the row re-read under a lock; conflict when the slug is
    taken, 400 for a new slug of `default`. Suspending takes effect at once and revokes
    nothing: every token and session check reads the organization's status with the user, so
    reactivating brings the same tokens and sessions back."""
    if fields.get("slug") is not None:
        if organization.slug == Organization.DEFAULT_SLUG != fields["slug"].lower():
            # Organization.objects.default() would make a second `default` at its next call.
            raise InvalidInput("The default organization keeps its slug.", field="slug")
        fields["slug"] = _check_slug_free(fields["slug"], exclude=organization)
        return _slug_race(
            lambda: update_locked(organization, **fields), fields["slug"], exclude=organization
        )
    return update_locked(organization, **fields)


@transaction.atomic
def organization_delete(*, organization: Organization) -> None:
    """Delete an organization that owns nothing; conflict while any user or row is its."""
    try:
        with transaction.atomic():
            organization.delete()
    except ProtectedError as error:
        raise OrganizationInUse(
            "This organization still has users or data; suspend it instead."
        ) from error
