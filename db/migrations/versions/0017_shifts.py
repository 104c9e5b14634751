"""Operator shifts, on-duty operators and what a closed desk does.

- operators.shift: the operator's own working hours as /shift writes them (a schedule like
  /hours, always with its zone), NULL when they work whenever they are active.
- operators.on_duty: whether they take contacts while their bot's desk is closed (in a bot
  that lets on-duty operators do so).
- sources.duty_after_hours: whether, outside the bot's business hours, its on-duty operators
  take new contacts (true) or every contact waits for the opening (false, as before).

Columns added in place, nullable or with a default, without constraints: nothing is rebuilt
or scanned, on SQLite or PostgreSQL. (There is no migration 0015.)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the shifts and the duty switches (nobody has a shift, nobody is on duty)."""
    op.add_column("operators", sa.Column("shift", sa.Text(), nullable=True))
    op.add_column(
        "operators",
        sa.Column("on_duty", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "sources",
        sa.Column("duty_after_hours", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    """Drop them: every operator works whenever active, every closed desk queues."""
    op.drop_column("sources", "duty_after_hours")
    op.drop_column("operators", "on_duty")
    op.drop_column("operators", "shift")
