"""An operator's own pause apart from an admin's deactivation: operators.paused.

/pause and /resume wrote operators.active, the flag /deactivate and /activate write, so an
operator could lift an admin's deactivation with /resume. From this revision ``active`` is the
admin's switch and ``paused`` the operator's own; new contacts go only to operators who are
active and not paused.

Existing rows: nobody can tell whether an inactive operator was deactivated by an admin or
paused themselves, and until now either could lift it. They become active and paused, so they
still get no new contacts and can still /resume; an admin who meant to switch one of them off
sends /deactivate again (an /activate now tells the admin that the operator is paused).

Downgrade: an operator who is paused or inactive becomes inactive (active = active AND NOT
paused), then the column is dropped. SQLite drops it in place (ALTER TABLE ... DROP COLUMN,
SQLite 3.35 or later, which the application needs anyway for UPDATE ... RETURNING): unlike
revision 0004 no table is rebuilt, so the operators table keeps its constraints and index and
the rows referencing it are left alone.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPERATORS = sa.table("operators", sa.column("active", sa.Boolean), sa.column("paused", sa.Boolean))


def upgrade() -> None:
    """Add operators.paused; inactive operators become active and paused."""
    op.add_column(
        "operators",
        sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute(
        _OPERATORS.update().where(_OPERATORS.c.active.is_(False)).values(active=True, paused=True)
    )


def downgrade() -> None:
    """Fold operators.paused back into operators.active, then drop it."""
    op.execute(_OPERATORS.update().where(_OPERATORS.c.paused.is_(True)).values(active=False))
    op.drop_column("operators", "paused")
