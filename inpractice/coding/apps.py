from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "inpractice.coding"
    label = "coding"
    verbose_name = "Analysis runs and coding"
