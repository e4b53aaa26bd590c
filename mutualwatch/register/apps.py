from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "mutualwatch.register"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mutualwatch.register.signals import connect_bridges

        connect_bridges()
