from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "inpractice.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
