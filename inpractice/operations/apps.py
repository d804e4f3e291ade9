"""The operations app: commands an operator runs (serve, backup, restore)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **_kwargs) -> None:
    """The database cache (rate limits, sign-in throttling) needs its table wherever the schema
    is made, so plain `manage.py migrate` leaves a working database too."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class OperationsConfig(AppConfig):
    name = "inpractice.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        # The embedded default needs no set-up: make the SQLite file's folder (var/ by default)
        # so the first `migrate` can create the database there.
        from pathlib import Path

        from django.conf import settings

        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) != ":memory:":
            Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # Sent once per app with models; hang it on one of them so it runs once per migrate.
        post_migrate.connect(
            create_cache_table,
            sender=self.apps.get_app_config("intake"),
            dispatch_uid="inpractice.create_cache_table",
        )
