"""Canned replies: each bot's templates that operators send with /t.

- templates: one row per (source, name), the text as Telegram HTML.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 06:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add the templates table (a new table: its constraints hold from the start)."""
    op.create_table(
        "templates",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("source_id", _BIG_ID, nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_templates_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_templates")),
        sa.UniqueConstraint("source_id", "name", name=op.f("uq_templates_source_id_name")),
    )


def downgrade() -> None:
    """Drop the templates."""
    op.drop_table("templates")
