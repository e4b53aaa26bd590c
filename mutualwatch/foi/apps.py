from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "mutualwatch.foi"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Freedom of Information requests"
