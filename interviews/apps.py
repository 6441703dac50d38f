from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        # Registers the stored-email check and connects the resume file clean-up.
        from interviews import checks, signals  # noqa: F401
