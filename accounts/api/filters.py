"""Query filters of the users list."""

import django_filters

from accounts.models import User


class UserFilter(django_filters.FilterSet):
    """Filters by value, never by a choice among rows: an organization's id the caller cannot
    see matches nothing, exactly as an id of no organization does."""

    role = django_filters.ChoiceFilter(choices=User.Role.choices)
    account_status = django_filters.ChoiceFilter(choices=User.AccountStatus.choices)
    organization = django_filters.UUIDFilter(field_name="organization_id")

    class Meta:
        model = User
        fields = ["role", "account_status", "organization"]
