from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("calls/<slug:slug>/window/", views.call_window, name="call_window"),
    path("calls/<slug:slug>/nominations/", views.nominations, name="nominations"),
    path(
        "calls/<slug:slug>/nominations/<int:pk>/invited/", views.mark_invited, name="mark_invited"
    ),
    path("calls/<slug:slug>/submissions/", views.submissions, name="submissions"),
]
