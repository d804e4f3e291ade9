from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "inpractice.schools"
    label = "schools"
    verbose_name = "School register"
