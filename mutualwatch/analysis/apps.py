from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "mutualwatch.analysis"
    verbose_name = "Fates analysis"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect the receivers that recompute the fates when published register data change.
        from mutualwatch.analysis import signals  # noqa: F401
