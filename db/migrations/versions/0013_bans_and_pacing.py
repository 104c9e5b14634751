"""Blocked clients and the pace of a client's messages: five columns of leads.

- leads.banned_at, leads.banned_by: when and by whom (a Telegram id) a client was blocked
  (/ban); NULL for everyone else. A blocked client's messages are dropped.
- leads.burst_started_at, leads.burst_count: the minute a client's latest burst of messages
  began and how many they sent in it, counted by the upsert every message makes anyway
  (CLIENT_MESSAGES_PER_MINUTE); leads.burst_told_to: the operator (a Telegram id) told in this
  burst that the rest of its messages are not passed on one by one.

New nullable columns (and a count with a default): no existing row breaks a constraint, so
nothing needs NOT VALID here.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the ban and burst columns of leads."""
    op.add_column("leads", sa.Column("banned_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("leads", sa.Column("banned_by", sa.BigInteger(), nullable=True))
    op.add_column("leads", sa.Column("burst_started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "leads",
        sa.Column("burst_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column("leads", sa.Column("burst_told_to", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Drop them (SQLite 3.35 or later drops columns in place)."""
    for column in ("burst_told_to", "burst_count", "burst_started_at", "banned_by", "banned_at"):
        op.drop_column("leads", column)
