from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("calls/<slug:slug>/", views.call_start, name="call"),
    path("calls/<slug:slug>/submit/check/", views.check_answers, name="check"),
    path("calls/<slug:slug>/submit/tasks/", views.task_list, name="tasks"),
    path("calls/<slug:slug>/submit/done/", views.confirmation, name="confirmation"),
    path("calls/<slug:slug>/submit/start-again/", views.start_again, name="start_again"),
    path("calls/<slug:slug>/submit/<slug:step_slug>/", views.question, name="question"),
    path("calls/<slug:slug>/resume/<str:token>/", views.resume, name="resume"),
    path("calls/<slug:slug>/invitation/<str:token>/", views.invitation, name="invitation"),
    path("calls/<slug:slug>/nominate/", views.nominate, name="nominate"),
    path("calls/<slug:slug>/nominate/done/", views.nominated, name="nominated"),
]
