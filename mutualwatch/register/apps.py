from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "mutualwatch.register"
    default_auto_field = "django.db.models.BigAutoField"
