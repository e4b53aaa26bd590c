from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "mutualwatch.publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mutualwatch.publishing import signals  # noqa: F401  (connects the receivers)
