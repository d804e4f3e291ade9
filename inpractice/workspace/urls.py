"""URLs of the analyst workspace (mounted at /staff/workspace/)."""

from django.urls import path

from . import review_views, views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.queue, name="queue"),
    path("<slug:slug>/submissions/<int:pk>/", views.submission, name="submission"),
    path("<slug:slug>/submissions/<int:pk>/code/", views.code_span, name="code_span"),
    path("<slug:slug>/submissions/<int:pk>/decide/", views.decide, name="decide"),
    path(
        "<slug:slug>/submissions/<int:pk>/codings/<int:coding_pk>/remove/",
        views.remove,
        name="remove",
    ),
    path("<slug:slug>/submissions/<int:pk>/memo/", views.memo, name="memo"),
    path("<slug:slug>/submissions/<int:pk>/reviewed/", views.mark_reviewed, name="reviewed"),
    path("<slug:slug>/submissions/<int:pk>/assign/", views.assign, name="assign"),
    path("<slug:slug>/submissions/<int:pk>/undo/", views.undo, name="undo"),
    path("<slug:slug>/samples/", views.samples, name="samples"),
    path("<slug:slug>/samples/<int:pk>/", views.sample, name="sample"),
    path("<slug:slug>/samples/<int:pk>/resolve/", views.resolve, name="resolve"),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/",
        views.submission,
        name="sample_submission",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/code/",
        views.code_span,
        name="sample_code_span",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/decide/",
        views.decide,
        name="sample_decide",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/codings/<int:coding_pk>/remove/",
        views.remove,
        name="sample_remove",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/memo/",
        views.memo,
        name="sample_memo",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/undo/",
        views.undo,
        name="sample_undo",
    ),
    path("<slug:slug>/model/", views.model_agreement, name="model_agreement"),
    path("<slug:slug>/evidence/", views.evidence, name="evidence"),
    path("<slug:slug>/history/", views.history, name="history"),
    path("<slug:slug>/team/", views.team, name="team"),
    # Codebook, retraining, themes, mentions and quotes (review_views.py).
    path("<slug:slug>/codebook/", review_views.codebook, name="codebook"),
    path("<slug:slug>/codebook/add/", review_views.codebook_add, name="codebook_add"),
    path("<slug:slug>/codebook/merge/", review_views.codebook_merge, name="codebook_merge"),
    path("<slug:slug>/codebook/history/", review_views.codebook_history, name="codebook_history"),
    path(
        "<slug:slug>/codebook/history/<int:number>/",
        review_views.codebook_version,
        name="codebook_version",
    ),
    path(
        "<slug:slug>/codebook/codes/<str:code_id>/edit/",
        review_views.codebook_edit,
        name="codebook_edit",
    ),
    path(
        "<slug:slug>/codebook/codes/<str:code_id>/add/",
        review_views.codebook_add,
        name="codebook_add_subcode",
    ),
    path(
        "<slug:slug>/codebook/codes/<str:code_id>/split/",
        review_views.codebook_split,
        name="codebook_split",
    ),
    path("<slug:slug>/retrain/", review_views.retrain, name="retrain"),
    path("<slug:slug>/retrain/<int:run_id>/", review_views.retrain_result, name="retrain_result"),
    path("<slug:slug>/themes/", review_views.themes, name="themes"),
    path("<slug:slug>/themes/<int:theme_id>/", review_views.theme, name="theme"),
    path("<slug:slug>/mentions/", review_views.mentions, name="mentions"),
    path("<slug:slug>/mentions/examples/", review_views.mention_examples, name="mention_examples"),
    path(
        "<slug:slug>/mentions/rename/", review_views.mention_rename_all, name="mention_rename_all"
    ),
    path(
        "<slug:slug>/mentions/<int:mention_id>/review/",
        review_views.mention_review,
        name="mention_review",
    ),
    path("<slug:slug>/quotes/", review_views.quotes, name="quotes"),
    path(
        "<slug:slug>/quotes/<int:quote_id>/review/",
        review_views.quote_review,
        name="quote_review",
    ),
]
