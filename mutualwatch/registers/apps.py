from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "mutualwatch.registers"
    verbose_name = "Company and society registers"
    default_auto_field = "django.db.models.BigAutoField"
