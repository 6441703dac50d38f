"""The interviews app: registers its checks and connects its signal receivers."""

from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        # Registers the stored-email check and connects the resume file clean-up and the
        # candidate profile's unlinking and relinking (accounts' user_soft_deleted, user_restored).
        from interviews import checks, signals  # noqa: F401
