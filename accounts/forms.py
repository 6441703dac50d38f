"""The admin's login form: it refuses locked-out emails like the API's login does."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import services


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login form, refusing locked-out emails (and every email while the cache is
    unreachable) like the API does."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _("Too many failed logins. Try again in %(minutes)s minute(s)."),
        "unavailable": _("Login is temporarily unavailable. Try again shortly."),
    }

    def clean(self):
        try:
            return super().clean()
        except services.AccountLocked as locked:
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": max(1, round(locked.retry_after / 60))},
            ) from locked
        except services.LoginUnavailable as unavailable:
            raise ValidationError(
                self.error_messages["unavailable"], code="unavailable"
            ) from unavailable
