"""The database objects behind full-text search, per vendor, for this app's migration.

Kept apart from the search code so the migration imports no models or NumPy.
"""

from __future__ import annotations

SQLITE_SQL = [
    """CREATE VIRTUAL TABLE library_casestudy_fts USING fts5(
        title, search_text, tag_terms,
        content='library_casestudy', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    # Only published rows are in the index: a draft's words can never be found.
    """CREATE TRIGGER library_casestudy_fts_insert AFTER INSERT ON library_casestudy
       WHEN new.status = 'published' BEGIN
         INSERT INTO library_casestudy_fts(rowid, title, search_text, tag_terms)
         VALUES (new.id, new.title, new.search_text, new.tag_terms);
       END""",
    """CREATE TRIGGER library_casestudy_fts_delete AFTER DELETE ON library_casestudy
       WHEN old.status = 'published' BEGIN
         INSERT INTO library_casestudy_fts(library_casestudy_fts, rowid, title, search_text,
           tag_terms) VALUES ('delete', old.id, old.title, old.search_text, old.tag_terms);
       END""",
    # One trigger for updates, old entry out before the new one in: FTS5 needs the exact text
    # it indexed to remove a row, and the order of separate triggers is not guaranteed.
    """CREATE TRIGGER library_casestudy_fts_update AFTER UPDATE ON library_casestudy BEGIN
         INSERT INTO library_casestudy_fts(library_casestudy_fts, rowid, title, search_text,
           tag_terms) SELECT 'delete', old.id, old.title, old.search_text, old.tag_terms
           WHERE old.status = 'published';
         INSERT INTO library_casestudy_fts(rowid, title, search_text, tag_terms)
           SELECT new.id, new.title, new.search_text, new.tag_terms
           WHERE new.status = 'published';
       END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS library_casestudy_fts_update",
    "DROP TRIGGER IF EXISTS library_casestudy_fts_delete",
    "DROP TRIGGER IF EXISTS library_casestudy_fts_insert",
    "DROP TABLE IF EXISTS library_casestudy_fts",
]
POSTGRESQL_SQL = [
    """ALTER TABLE library_casestudy ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(search_text, '')), 'B') ||
        to_tsvector('simple', coalesce(tag_terms, ''))) STORED""",
    """CREATE INDEX library_casestudy_search_vector ON library_casestudy
       USING GIN (search_vector) WHERE status = 'published'""",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS library_casestudy_search_vector",
    "ALTER TABLE library_casestudy DROP COLUMN IF EXISTS search_vector",
]


def create_full_text_index(apps, schema_editor) -> None:
    statements = {"sqlite": SQLITE_SQL, "postgresql": POSTGRESQL_SQL}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


def drop_full_text_index(apps, schema_editor) -> None:
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)
