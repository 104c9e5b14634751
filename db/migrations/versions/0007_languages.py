"""Languages: each person's own choice (/language), and texts each bot's admin sets (/text).

- leads.chosen_language, operators.language / operators.chosen_language: what they read in.
- admin_languages: the same for admins, who are configured rather than stored.
- source_texts: a bot's own greeting, "queued", "assigned", ... per language, replacing
  sources.greeting (a column nothing set; a value found there is kept as that bot's greeting
  in both languages of this release).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The languages of this release (a migration is a snapshot: not read from the catalogs).
_LANGUAGES = ("en", "ru")


def upgrade() -> None:
    """Add the language columns and tables; move sources.greeting into source_texts."""
    op.add_column("leads", sa.Column("chosen_language", sa.String(length=16), nullable=True))
    op.add_column("operators", sa.Column("language", sa.String(length=16), nullable=True))
    op.add_column("operators", sa.Column("chosen_language", sa.String(length=16), nullable=True))
    op.create_table(
        "admin_languages",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("chosen_language", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("telegram_id", name=op.f("pk_admin_languages")),
    )
    op.create_table(
        "source_texts",
        sa.Column(
            "source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_texts_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", "name", "language", name=op.f("pk_source_texts")),
    )
    for language in _LANGUAGES:
        op.execute(
            sa.text(
                "INSERT INTO source_texts (source_id, name, language, text, updated_at) "
                "SELECT id, 'greeting', :language, greeting, CURRENT_TIMESTAMP FROM sources "
                "WHERE greeting IS NOT NULL"
            ).bindparams(language=language)
        )
    op.drop_column("sources", "greeting")


def downgrade() -> None:
    """Back to sources.greeting (the English greeting, if one was set); the rest is dropped."""
    op.add_column("sources", sa.Column("greeting", sa.Text(), nullable=True))
    op.execute(
        "UPDATE sources SET greeting = (SELECT text FROM source_texts WHERE "
        "source_texts.source_id = sources.id AND name = 'greeting' AND language = 'en')"
    )
    op.drop_table("source_texts")
    op.drop_table("admin_languages")
    op.drop_column("operators", "chosen_language")
    op.drop_column("operators", "language")
    op.drop_column("leads", "chosen_language")
