from django.apps import AppConfig


class BranchesConfig(AppConfig):
    name = "mutualwatch.branches"
    default_auto_field = "django.db.models.BigAutoField"
