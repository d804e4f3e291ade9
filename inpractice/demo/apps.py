from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: an app only so that Django finds the `demo` management command."""

    name = "inpractice.demo"
    label = "demo"
    verbose_name = "Demo call"
