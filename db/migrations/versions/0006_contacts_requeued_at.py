"""contacts.requeued_at: a contact's wait in the queue counts from when it went back there.

An operator's open contacts return to the queue when the operator is removed or blocks the bot.
Their wait (``/queue``, the queue alert, the oldest-wait metric) was counted from when the
client first wrote, so a contact handled for days showed days of waiting, and set off the queue
alert, the moment it was requeued. Existing rows keep NULL: their wait counts from creation, as
before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add contacts.requeued_at (nullable; no table rebuild on SQLite)."""
    op.add_column("contacts", sa.Column("requeued_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop contacts.requeued_at (SQLite drops the unindexed column in place)."""
    op.drop_column("contacts", "requeued_at")
