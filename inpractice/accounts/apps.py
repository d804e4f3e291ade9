from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inpractice.accounts"
    label = "accounts"
    verbose_name = "Staff accounts and roles"
