from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "inpractice.intake"
    label = "intake"
    verbose_name = "Calls, submissions and nominations"
