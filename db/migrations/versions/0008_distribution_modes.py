"""Distribution modes per source, the state of the exact mode, and the decisions /why explains.

- sources.mode: random (as before, the default), exact or least_loaded.
- operator_sources.credit: what the exact mode owes each operator in the source.
- decisions: one compact row per distribution decision, written when it is made.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# The modes of this release (a migration is a snapshot: not read from the models).
_MODE_CHECK = "mode IN ('random', 'exact', 'least_loaded')"


def upgrade() -> None:
    """Add the mode, the credits and the decisions table."""
    # The CHECK goes with the column, so that SQLite adds it in place (no table rebuild).
    op.add_column(
        "sources",
        sa.Column(
            "mode",
            sa.String(length=16),
            sa.CheckConstraint(_MODE_CHECK, name=op.f("ck_sources_distribution_mode")),
            server_default="random",
            nullable=False,
        ),
    )
    op.add_column(
        "operator_sources",
        sa.Column("credit", sa.Float(), server_default=sa.text("0"), nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("contact_id", _BIG_ID, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("operator_id", sa.BigInteger(), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_decisions_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index("ix_decisions_contact", "decisions", ["contact_id", "id"], unique=False)


def downgrade() -> None:
    """Drop the decisions, the credits and the mode (every source is random again)."""
    op.drop_index("ix_decisions_contact", table_name="decisions")
    op.drop_table("decisions")
    op.drop_column("operator_sources", "credit")
    # Its CHECK is the column's own, so SQLite drops both in place, too.
    op.drop_column("sources", "mode")
