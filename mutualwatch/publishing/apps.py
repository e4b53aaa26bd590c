from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "mutualwatch.publishing"
    default_auto_field = "django.db.models.BigAutoField"
