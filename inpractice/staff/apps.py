from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "inpractice.staff"
    label = "staff"
    verbose_name = "Programme team pages"
