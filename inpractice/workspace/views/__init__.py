"""The workspace's pages, one module per area; URLs in `inpractice.workspace.urls`.

- `queue`: the list of calls, a call's review queue, evidence, model against human, history
- `submission`: reading a submission; `coding`: changing it (codes, memos, review, undo)
- `samples`: blind double coding; `team`: who works on a call
- `codebook`, `codebook_history`: the working codebook and its versions; `retrain`: retraining
- `themes`, `mentions`, `quotes`: decisions on a run's themes, mentions and quotes
- `runs`: a call's analysis runs, what a newer run changes, and promoting it to the current run

Views stay thin: access is decided in `access`, changes go through `actions`, `decisions` and
`double_coding` (one transaction each, with events), validation in `forms`, figures in `metrics`
and `queue`.
"""
