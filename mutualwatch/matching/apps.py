from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mutualwatch.matching"
    verbose_name = "Supplier linking"
    default_auto_field = "django.db.models.BigAutoField"
