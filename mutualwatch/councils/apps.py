from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "mutualwatch.councils"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mutualwatch.councils import signals  # noqa: F401 (connects the receivers)
