from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "mutualwatch.workspace"
    verbose_name = "Branch workspace"
