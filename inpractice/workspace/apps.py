from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "inpractice.workspace"
    label = "workspace"
    verbose_name = "Analyst workspace"

    def ready(self) -> None:
        # Promoting a run (inpractice.coding.runs.promote, which cannot import the workspace)
        # carries theme sign-offs onto the new run and records an event.
        from . import carry

        carry.connect()
        # The work of "retrain" jobs (inpractice.jobs, a layer below, cannot import it).
        from . import jobs  # noqa: F401
