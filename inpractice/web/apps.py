from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "inpractice.web"
    label = "web"
    verbose_name = "Public pages and layout"
