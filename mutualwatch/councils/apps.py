from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "mutualwatch.councils"
    default_auto_field = "django.db.models.BigAutoField"
