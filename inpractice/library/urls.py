"""URLs of the library of practice: public pages, open data, the API, and moderators' pages."""

from django.urls import path

from . import api, views

app_name = "library"
urlpatterns = [
    path("library/", views.search_page, name="search"),
    path("library/withdraw-consent/<str:token>/", views.withdraw, name="withdraw"),
    path(
        "library/check-your-case-study/<str:token>/",
        views.submitter_review,
        name="submitter_review",
    ),
    path("library/<slug:case_study>/", views.case_study_page, name="case_study"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/case-studies.csv", views.download_csv, name="download_csv"),
    path("open-data/case-studies.json", views.download_json, name="download_json"),
    path("api/v1/openapi.json", api.openapi, name="api_schema"),
    path("api/v1/case-studies/", api.case_study_list, name="api_list"),
    path("api/v1/case-studies/<str:case_study>/", api.case_study_detail, name="api_detail"),
    path("staff/case-studies/", views.staff_list, name="staff_list"),
    path("staff/case-studies/new/<str:reference>/", views.staff_new, name="staff_new"),
    path("staff/case-studies/<int:case_id>/", views.staff_detail, name="staff_detail"),
    path("staff/case-studies/<int:case_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/case-studies/<int:case_id>/personal-data/", views.staff_check, name="staff_check"),
    path(
        "staff/case-studies/<int:case_id>/status/", views.staff_transition, name="staff_transition"
    ),
    path(
        "staff/case-studies/<int:case_id>/send-to-submitter/",
        views.staff_ask_submitter,
        name="staff_ask_submitter",
    ),
    path("staff/case-studies/<int:case_id>/publish/", views.staff_publish, name="staff_publish"),
    path(
        "staff/case-studies/<int:case_id>/versions/<int:number>/",
        views.staff_version,
        name="staff_version",
    ),
]
