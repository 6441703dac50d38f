"""The shared kernel's app: installed so that its schema extension loads with the project."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel (core/): building blocks every app may import; it imports no app."""

    name = "core"
    verbose_name = "Kernel"

    def ready(self):
        from core.api import schema  # noqa: F401  registers the DecimalField schema extension
