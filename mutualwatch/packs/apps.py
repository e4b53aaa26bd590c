from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "mutualwatch.packs"
    verbose_name = "Branch packs"
