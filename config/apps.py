"""The app configs of the project package: its system checks, and the admin with our site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConfigConfig(AppConfig):
    """The project's own plumbing (config/), installed for its system checks."""

    name = "config"
    verbose_name = "Project"

    def ready(self):
        from config import staticfiles  # noqa: F401  registers the collected-static check


class PlatformAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin (label "admin", autodiscovery) with config.admin.PlatformAdminSite
    as the default site."""

    default = False  # INSTALLED_APPS names it; "config" alone still means ConfigConfig
    default_site = "config.admin.PlatformAdminSite"
