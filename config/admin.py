"""The project's admin site: its titles, the lockout-aware login and the dashboard index."""

from django.contrib import admin

from accounts.forms import LockoutAdminAuthenticationForm
from config.dashboard import dashboard_for


class PlatformAdminSite(admin.AdminSite):
    """The admin at /admin/; its index shows the dashboard above the app list
    (templates/admin/index.html).

    Installed as the default site by `config.apps.PlatformAdminConfig`, so every app's
    `@admin.register` lands here.
    """

    site_header = "Interview platform"
    site_title = "Interview platform admin"
    login_form = LockoutAdminAuthenticationForm

    def index(self, request, extra_context=None):
        context = {"dashboard": dashboard_for(request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)
