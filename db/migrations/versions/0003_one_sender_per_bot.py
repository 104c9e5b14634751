"""One sender per bot: which delivery worker sends a source's outbox, and until when.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column("sources", sa.Column("sender", sa.String(length=128), nullable=True))
    op.add_column("sources", sa.Column("sender_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("sender_until")
        batch.drop_column("sender")
