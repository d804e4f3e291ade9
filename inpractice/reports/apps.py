from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "inpractice.reports"
    label = "reports"
    verbose_name = "Insights report"
