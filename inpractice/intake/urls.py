from django.urls import path

from . import shared_views, unlisted_views, views

app_name = "intake"
urlpatterns = [
    path("calls/<slug:slug>/", views.call_start, name="call"),
    path("calls/<slug:slug>/submit/check/", views.check_answers, name="check"),
    path("calls/<slug:slug>/submit/tasks/", views.task_list, name="tasks"),
    path("calls/<slug:slug>/submit/done/", views.confirmation, name="confirmation"),
    path("calls/<slug:slug>/submit/start-again/", views.start_again, name="start_again"),
    path("calls/<slug:slug>/submit/share/", shared_views.share, name="share"),
    path(
        "calls/<slug:slug>/submit/school-not-listed/",
        unlisted_views.school_not_listed,
        name="school_not_listed",
    ),
    path("calls/<slug:slug>/submit/<slug:step_slug>/", views.question, name="question"),
    path("calls/<slug:slug>/resume/<str:token>/", views.resume, name="resume"),
    path("calls/<slug:slug>/invitation/<str:token>/", views.invitation, name="invitation"),
    path("calls/<slug:slug>/contribute/<str:token>/", shared_views.contribute, name="contribute"),
    path("calls/<slug:slug>/shared/", shared_views.shared_tasks, name="shared_tasks"),
    path(
        "calls/<slug:slug>/shared/<slug:step_slug>/",
        shared_views.shared_question,
        name="shared_question",
    ),
    path("calls/<slug:slug>/nominate/", views.nominate, name="nominate"),
    path("calls/<slug:slug>/nominate/check/", views.nominate_check, name="nominate_check"),
    path(
        "calls/<slug:slug>/nominate/school-not-listed/",
        unlisted_views.nominate_school_not_listed,
        name="nominate_school_not_listed",
    ),
    path("calls/<slug:slug>/nominate/done/", views.nominated, name="nominated"),
    # Programme admins: a school described as not in the register, matched or confirmed.
    path(
        "staff/calls/<slug:slug>/unlisted-schools/<int:pk>/review/",
        unlisted_views.review_unlisted,
        name="review_unlisted",
    ),
]
