from django.urls import path

from . import submission_views, views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("calls/<slug:slug>/window/", views.call_window, name="call_window"),
    path("calls/<slug:slug>/nominations/", views.nominations, name="nominations"),
    path(
        "calls/<slug:slug>/nominations/<int:pk>/invited/", views.mark_invited, name="mark_invited"
    ),
    path("calls/<slug:slug>/submissions/", submission_views.submissions, name="submissions"),
    path(
        "calls/<slug:slug>/submissions/export/", submission_views.export, name="submissions_export"
    ),
    path("calls/<slug:slug>/submissions/<int:pk>/", submission_views.submission, name="submission"),
]
