from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "inpractice.privacy"
    label = "privacy"
    verbose_name = "Privacy and audit"
