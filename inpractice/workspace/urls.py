"""URLs of the analyst workspace (mounted at /staff/workspace/)."""

from django.urls import path

from .views import (
    codebook,
    codebook_history,
    coding,
    jobs,
    mentions,
    queue,
    quotes,
    retrain,
    runs,
    samples,
    submission,
    team,
    themes,
)

app_name = "workspace"
urlpatterns = [
    path("", queue.home, name="home"),
    path("<slug:slug>/", queue.queue, name="queue"),
    path("<slug:slug>/submissions/<int:pk>/", submission.submission, name="submission"),
    path("<slug:slug>/submissions/<int:pk>/code/", coding.code_span, name="code_span"),
    path("<slug:slug>/assign/", queue.assign_many, name="assign_many"),
    path("<slug:slug>/submissions/<int:pk>/decide/", coding.decide, name="decide"),
    path(
        "<slug:slug>/submissions/<int:pk>/accept-proposals/",
        coding.accept_proposals,
        name="accept_proposals",
    ),
    path(
        "<slug:slug>/submissions/<int:pk>/codings/<int:coding_pk>/remove/",
        coding.remove,
        name="remove",
    ),
    path("<slug:slug>/submissions/<int:pk>/memo/", coding.memo, name="memo"),
    path("<slug:slug>/submissions/<int:pk>/reviewed/", coding.mark_reviewed, name="reviewed"),
    path("<slug:slug>/submissions/<int:pk>/assign/", coding.assign, name="assign"),
    path("<slug:slug>/submissions/<int:pk>/undo/", coding.undo, name="undo"),
    path("<slug:slug>/samples/", samples.samples, name="samples"),
    path("<slug:slug>/samples/<int:pk>/", samples.sample, name="sample"),
    path("<slug:slug>/samples/<int:pk>/resolve/", samples.resolve, name="resolve"),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/",
        submission.submission,
        name="sample_submission",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/code/",
        coding.code_span,
        name="sample_code_span",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/decide/",
        coding.decide,
        name="sample_decide",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/codings/<int:coding_pk>/remove/",
        coding.remove,
        name="sample_remove",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/memo/",
        coding.memo,
        name="sample_memo",
    ),
    path(
        "<slug:slug>/samples/<int:sample_pk>/submissions/<int:pk>/undo/",
        coding.undo,
        name="sample_undo",
    ),
    path("<slug:slug>/model/", queue.model_agreement, name="model_agreement"),
    path("<slug:slug>/evidence/", queue.evidence, name="evidence"),
    path("<slug:slug>/history/", queue.history, name="history"),
    path("<slug:slug>/team/", team.team, name="team"),
    # Background jobs: progress, starting an analysis, cancel and retry.
    path("<slug:slug>/jobs/", jobs.jobs, name="jobs"),
    path("<slug:slug>/jobs.json", jobs.jobs_json, name="jobs_json"),
    path("<slug:slug>/jobs/analyse/", jobs.start_analysis, name="start_analysis"),
    path("<slug:slug>/jobs/<int:job_id>/cancel/", jobs.cancel_job, name="cancel_job"),
    path("<slug:slug>/jobs/<int:job_id>/retry/", jobs.retry_job, name="retry_job"),
    # Codebook, retraining, themes, mentions and quotes.
    path("<slug:slug>/codebook/", codebook.codebook, name="codebook"),
    path("<slug:slug>/codebook/add/", codebook.codebook_add, name="codebook_add"),
    path("<slug:slug>/codebook/merge/", codebook.codebook_merge, name="codebook_merge"),
    path(
        "<slug:slug>/codebook/history/",
        codebook_history.codebook_history,
        name="codebook_history",
    ),
    path(
        "<slug:slug>/codebook/history/<int:number>/",
        codebook_history.codebook_version,
        name="codebook_version",
    ),
    path(
        "<slug:slug>/codebook/codes/<str:code_id>/edit/",
        codebook.codebook_edit,
        name="codebook_edit",
    ),
    path(
        "<slug:slug>/codebook/codes/<str:code_id>/add/",
        codebook.codebook_add,
        name="codebook_add_subcode",
    ),
    path(
        "<slug:slug>/codebook/codes/<str:code_id>/split/",
        codebook.codebook_split,
        name="codebook_split",
    ),
    path("<slug:slug>/retrain/", retrain.retrain, name="retrain"),
    path("<slug:slug>/retrain/<int:run_id>/", retrain.retrain_result, name="retrain_result"),
    path("<slug:slug>/runs/", runs.runs, name="runs"),
    path("<slug:slug>/runs/<int:run_id>/", runs.run, name="run"),
    path("<slug:slug>/themes/", themes.themes, name="themes"),
    path("<slug:slug>/themes/<int:theme_id>/", themes.theme, name="theme"),
    path("<slug:slug>/mentions/", mentions.mentions, name="mentions"),
    path("<slug:slug>/mentions/examples/", mentions.mention_examples, name="mention_examples"),
    path("<slug:slug>/mentions/rename/", mentions.mention_rename_all, name="mention_rename_all"),
    path(
        "<slug:slug>/mentions/<int:mention_id>/review/",
        mentions.mention_review,
        name="mention_review",
    ),
    path("<slug:slug>/quotes/", quotes.quotes, name="quotes"),
    path("<slug:slug>/quotes/<int:quote_id>/review/", quotes.quote_review, name="quote_review"),
    path(
        "<slug:slug>/quotes/<int:quote_id>/privacy/",
        quotes.quote_privacy_check,
        name="quote_privacy",
    ),
]
