from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "mutualwatch.workforce"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Workforce terms (special-category data)"
