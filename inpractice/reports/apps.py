from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "inpractice.reports"
    label = "reports"
    verbose_name = "Insights report"

    def ready(self) -> None:
        # The work of "build_edition" jobs (inpractice.jobs, a layer below, cannot import it).
        from . import jobs

        jobs.connect()
