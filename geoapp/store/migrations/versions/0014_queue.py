"""The moderation queue at 100,000 pins: an index for every consultation's queue, and on SQLite
a search index that also knows each pin's consultation and status.

Both: an index on (status, created_at, id), so that the queue of every consultation in one
status (the workspace's default: the pending pins) walks its order instead of reading every
pin to find the few pending ones, and its total is counted from a short stretch of it.

SQLite: counting a text search's matches in one consultation and status looked up every
match's row (a common word: a quarter of 100,000 pins, 20–30 ms of CPU a count). The FTS5
index now holds one more column, `scope`, with one word per pin for its consultation and
status (`q` + status + the consultation id in hex, which the tokenizer keeps as one word), so
such a count is answered by the index alone; so is a consultation's total without a search,
in a third of the CPU the (consultation, status) index takes. The index keeps no copy of the
text (contentless: the queue reads the rows from contributions); the triggers hand it the old
values to delete, and now also run when a pin's status or consultation changes.

Revision ID: 0014_queue
Revises: 0013_posters
"""

from alembic import op

revision = "0014_queue"
down_revision = "0013_posters"
branch_labels = None
depends_on = None

TRIGGERS = ("insert", "update", "delete")
TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"


def _scope(row: str) -> str:
    """The SQL of a row's scope token; SqliteStore builds the same word for its searches."""
    return f"'q' || {row}.status || hex({row}.consultation_id)"


def _indexed(row: str) -> str:
    return f"{row}.rowid, {row}.text, {row}.author_name, {_scope(row)}"


SCOPED = [
    f"CREATE VIRTUAL TABLE contributions_fts USING fts5(text, author_name, scope, content='', "
    f"{TOKENIZE})",
    f"""CREATE TRIGGER contributions_fts_insert AFTER INSERT ON contributions BEGIN
         INSERT INTO contributions_fts(rowid, text, author_name, scope)
           VALUES ({_indexed("new")});
       END""",
    f"""CREATE TRIGGER contributions_fts_update
       AFTER UPDATE OF text, author_name, status, consultation_id ON contributions BEGIN
         INSERT INTO contributions_fts(contributions_fts, rowid, text, author_name, scope)
           VALUES ('delete', {_indexed("old")});
         INSERT INTO contributions_fts(rowid, text, author_name, scope)
           VALUES ({_indexed("new")});
       END""",
    f"""CREATE TRIGGER contributions_fts_delete AFTER DELETE ON contributions BEGIN
         INSERT INTO contributions_fts(contributions_fts, rowid, text, author_name, scope)
           VALUES ('delete', {_indexed("old")});
       END""",
    "INSERT INTO contributions_fts(rowid, text, author_name, scope) "
    f"SELECT {_indexed('contributions')} FROM contributions",
]
# The index of 0012_search: external content, text and public name only.
UNSCOPED = [
    "CREATE VIRTUAL TABLE contributions_fts USING fts5(text, author_name, "
    f"content='contributions', content_rowid='rowid', {TOKENIZE})",
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


def _replace_index(statements: list[str]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER contributions_fts_{trigger}")
    op.execute("DROP TABLE contributions_fts")
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.create_index(
        "ix_contributions_status_created", "contributions", ["status", "created_at", "id"]
    )
    _replace_index(SCOPED)


def downgrade() -> None:
    _replace_index(UNSCOPED)
    op.drop_index("ix_contributions_status_created", "contributions")
