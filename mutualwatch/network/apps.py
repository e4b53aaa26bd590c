from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "mutualwatch.network"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Branch network"
