from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "inpractice.workspace"
    label = "workspace"
    verbose_name = "Analyst workspace"
