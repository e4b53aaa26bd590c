from django.apps import AppConfig


class DemoworldConfig(AppConfig):
    name = "mutualwatch.demoworld"
    default_auto_field = "django.db.models.BigAutoField"
