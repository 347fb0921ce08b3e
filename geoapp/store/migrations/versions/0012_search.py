"""Full-text search and keyset paging for the moderation queue.

SQLite: an FTS5 index over the pins' text and public name, kept in step with the
contributions table by triggers (external content, the row's rowid as in the R*Tree). The
`unicode61 remove_diacritics 2` tokenizer folds case and diacritics, so "Bänke", "bänke" and
"Banke" find each other; the spelling without umlaut letters ("Baenke") is a different word.
PostgreSQL: a GIN index over the German `tsvector` of the same columns.
Both: an index on (created_at, id), the queue's order, so that a page is a short index walk,
and one on (consultation, status, category, source), so that the total of a filtered queue is
counted from the index alone.

Revision ID: 0012_search
Revises: 0011_change_version
"""

from alembic import op

revision = "0012_search"
down_revision = "0011_change_version"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE contributions_fts USING fts5(text, author_name, "
    "content='contributions', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER contributions_fts_insert AFTER INSERT ON contributions BEGIN
         INSERT INTO contributions_fts(rowid, text, author_name)
           VALUES (new.rowid, new.text, new.author_name);
       END""",
    """CREATE TRIGGER contributions_fts_update AFTER UPDATE OF text, author_name
       ON contributions BEGIN
         INSERT INTO contributions_fts(contributions_fts, rowid, text, author_name)
           VALUES ('delete', old.rowid, old.text, old.author_name);
         INSERT INTO contributions_fts(rowid, text, author_name)
           VALUES (new.rowid, new.text, new.author_name);
       END""",
    """CREATE TRIGGER contributions_fts_delete AFTER DELETE ON contributions BEGIN
         INSERT INTO contributions_fts(contributions_fts, rowid, text, author_name)
           VALUES ('delete', old.rowid, old.text, old.author_name);
       END""",
    "INSERT INTO contributions_fts(contributions_fts) VALUES ('rebuild')",
]
# The expression must match SqlBase._text_clause's PostgreSQL form for the planner to use it.
POSTGRES_TSVECTOR = (
    "CREATE INDEX ix_contributions_text_search ON contributions USING gin "
    "(to_tsvector('german', text || ' ' || coalesce(author_name, '')))"
)


def upgrade() -> None:
    op.create_index("ix_contributions_created_id", "contributions", ["created_at", "id"])
    op.create_index(
        "ix_contributions_queue_filters",
        "contributions",
        ["consultation_id", "status", "category", "source"],
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(POSTGRES_TSVECTOR)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER contributions_fts_{trigger}")
        op.execute("DROP TABLE contributions_fts")
    elif dialect == "postgresql":
        op.drop_index("ix_contributions_text_search", "contributions")
    op.drop_index("ix_contributions_queue_filters", "contributions")
    op.drop_index("ix_contributions_created_id", "contributions")
