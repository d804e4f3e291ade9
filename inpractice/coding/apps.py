from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "inpractice.coding"
    label = "coding"
    verbose_name = "Analysis runs and coding"

    def ready(self) -> None:
        # The work of "analyse" jobs (inpractice.jobs, a layer below, cannot import it).
        from . import jobs

        jobs.connect()
