"""URLs of the insights report app: the published report, its PDF, open data, live coverage,
and the staff pages of editions."""

from django.urls import path

from . import authoring_views, staff_views, views

app_name = "reports"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/<slug:slug>/", views.report, name="report"),
    path("reports/<slug:slug>/report.pdf", views.report_pdf, name="report_pdf"),
    path(
        "reports/<slug:slug>/editions/<int:edition>/",
        views.edition_public,
        name="edition_public",
    ),
    path("staff/coverage/<slug:slug>/", views.coverage, name="coverage"),
    path("staff/reports/<slug:slug>/editions/", staff_views.edition_list, name="editions"),
    path(
        "staff/reports/<slug:slug>/editions/<int:edition>/",
        staff_views.edition_detail,
        name="edition",
    ),
    path(
        "staff/reports/<slug:slug>/editions/<int:edition>/text/",
        authoring_views.edition_text,
        name="edition_text",
    ),
    path(
        "staff/reports/<slug:slug>/editions/<int:edition>/text/<slug:field>/",
        authoring_views.edition_section,
        name="edition_section",
    ),
    path(
        "staff/reports/<slug:slug>/editions/<int:edition>/preview/",
        authoring_views.edition_preview,
        name="edition_preview",
    ),
    path(
        "staff/reports/<slug:slug>/editions/<int:edition>/evidence/",
        authoring_views.edition_evidence,
        name="edition_evidence",
    ),
    path("open-data/<slug:slug>/figures.csv", views.figures_csv, name="figures_csv"),
    path("open-data/<slug:slug>/figures.json", views.figures_json, name="figures_json"),
]
