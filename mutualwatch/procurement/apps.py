from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "mutualwatch.procurement"
    default_auto_field = "django.db.models.BigAutoField"
