import factory
from factory.django import DjangoModelFactory

from accounts.models import ORGANIZATION_ROLES, Organization, User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")


def default_organization_for(role: str) -> Organization | None:
    """`default` for the roles that belong to an organization; None for admins and candidates."""
    return Organization.objects.default() if role in ORGANIZATION_ROLES else None


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    role = User.Role.CANDIDATE
    organization = factory.LazyAttribute(lambda user: default_organization_for(user.role))
    account_status = User.AccountStatus.ACTIVE
    password = factory.django.Password(DEFAULT_PASSWORD)
