from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inpractice.accounts"
    label = "accounts"
    verbose_name = "Staff accounts and roles"

    def ready(self) -> None:
        # Connects the sign-in clock that SessionExpiryMiddleware reads.
        from . import middleware  # noqa: F401
