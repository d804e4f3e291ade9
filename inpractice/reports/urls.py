"""URLs of the insights report app: the report, its PDF, open data and live coverage."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/<slug:slug>/", views.report, name="report"),
    path("reports/<slug:slug>/report.pdf", views.report_pdf, name="report_pdf"),
    path("staff/coverage/<slug:slug>/", views.coverage, name="coverage"),
    path("open-data/<slug:slug>/figures.csv", views.figures_csv, name="figures_csv"),
    path("open-data/<slug:slug>/figures.json", views.figures_json, name="figures_json"),
]
