"""Business hours per source.

- sources.hours: the weekly schedule as /hours writes it (``mon-fri 09:00-18:00 tz=…``),
  NULL when always open.
- sources.holidays: the dates (``YYYY-MM-DD``, in the schedule's zone) the desk stays closed,
  as a JSON list, sorted. On the source row, which every new contact reads anyway: deciding
  whether the desk is open costs no query.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 07:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the schedule and the holidays (every source stays always open)."""
    op.add_column("sources", sa.Column("hours", sa.Text(), nullable=True))
    op.add_column(
        "sources",
        sa.Column("holidays", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    )


def downgrade() -> None:
    """Drop them: every source is always open again."""
    op.drop_column("sources", "holidays")
    op.drop_column("sources", "hours")
