from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "mutualwatch.campaigns"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Campaign case files"
