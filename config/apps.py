from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project's own plumbing (config/), installed for its system checks."""

    name = "config"
    verbose_name = "Project"

    def ready(self):
        from config import staticfiles  # noqa: F401  registers the collected-static check
