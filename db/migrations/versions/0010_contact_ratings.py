"""Clients' ratings of their contacts: contacts.rating, 1 to 5, or NULL when not rated.

On SQLite the CHECK goes with the new column (added in place, no table rebuild). On PostgreSQL
the column comes first, then its CHECK ``NOT VALID`` (a change of the catalog, without a scan
of every contact under an exclusive lock); ``db.migrate`` validates it right after the commit,
as for migration 0004.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHECK = "rating BETWEEN 1 AND 5"


def upgrade() -> None:
    """Add the rating and its CHECK."""
    name = op.f("ck_contacts_rating")
    if op.get_context().dialect.name == "sqlite":
        op.add_column(
            "contacts",
            sa.Column("rating", sa.SmallInteger(), sa.CheckConstraint(_CHECK, name=name)),
        )
        return
    op.add_column("contacts", sa.Column("rating", sa.SmallInteger(), nullable=True))
    op.create_check_constraint(name, "contacts", _CHECK, postgresql_not_valid=True)
    if context.is_offline_mode():  # a script: validated where it runs, in the same go
        op.execute(f"ALTER TABLE contacts VALIDATE CONSTRAINT {name}")


def downgrade() -> None:
    """Drop the rating (and with it its CHECK)."""
    op.drop_column("contacts", "rating")
