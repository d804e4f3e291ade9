from django.urls import path

from . import call_views, nomination_views, submission_views, views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("calls/<slug:slug>/window/", views.call_window, name="call_window"),
    path("calls/new/", call_views.new_call, name="call_new"),
    path("calls/<slug:slug>/", call_views.call_overview, name="call"),
    path("calls/<slug:slug>/details/", call_views.call_details, name="call_details"),
    path("calls/<slug:slug>/questions/", call_views.questions, name="call_questions"),
    path("calls/<slug:slug>/questions/add/", call_views.add_question, name="call_question_add"),
    path(
        "calls/<slug:slug>/questions/add-standard/",
        call_views.add_standard_question,
        name="call_question_add_standard",
    ),
    path("calls/<slug:slug>/questions/<slug:key>/", call_views.edit_question, name="call_question"),
    path(
        "calls/<slug:slug>/questions/<slug:key>/move/",
        call_views.move_question,
        name="call_question_move",
    ),
    path(
        "calls/<slug:slug>/questions/<slug:key>/remove/",
        call_views.remove_question,
        name="call_question_remove",
    ),
    path("calls/<slug:slug>/codebook/", call_views.codebook, name="call_codebook"),
    path("calls/<slug:slug>/preview/", call_views.preview, name="call_preview"),
    path("calls/<slug:slug>/open/", call_views.open_call, name="call_open"),
    path("calls/<slug:slug>/close/", call_views.close_call, name="call_close"),
    path("calls/<slug:slug>/nominations/", nomination_views.nominations, name="nominations"),
    path(
        "calls/<slug:slug>/nominations/invite/",
        nomination_views.invite_chosen,
        name="invite_chosen",
    ),
    path("calls/<slug:slug>/nominations/remind/", nomination_views.remind, name="remind"),
    path("calls/<slug:slug>/nominations/<int:pk>/", nomination_views.nomination, name="nomination"),
    path("calls/<slug:slug>/nominations/<int:pk>/invite/", nomination_views.invite, name="invite"),
    path(
        "calls/<slug:slug>/nominations/<int:pk>/withdraw/",
        nomination_views.withdraw,
        name="withdraw_invitation",
    ),
    path("calls/<slug:slug>/submissions/", submission_views.submissions, name="submissions"),
    path(
        "calls/<slug:slug>/submissions/export/", submission_views.export, name="submissions_export"
    ),
    path("calls/<slug:slug>/submissions/<int:pk>/", submission_views.submission, name="submission"),
]
