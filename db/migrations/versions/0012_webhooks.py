"""Webhooks: subscriptions of other systems to events, and their outbox.

- webhooks: where to POST which events, and the secret that signs them.
- webhook_events: one event to POST to one subscription, staged with the change it tells of,
  deleted once delivered or given up; a contact's events go out in order per subscription.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create both tables (new and empty: nothing to scan, no constraint to validate)."""
    op.create_table(
        "webhooks",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "webhook_events",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("webhook_id", _BIG_ID, nullable=False),
        sa.Column("contact_id", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=512), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
            name=op.f("fk_webhook_events_webhook_id_webhooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
    )
    op.create_index("ix_webhook_events_line", "webhook_events", ["webhook_id", "contact_id", "id"])
    op.create_index("ix_webhook_events_due", "webhook_events", ["next_attempt_at"])


def downgrade() -> None:
    """Drop both tables; events not yet delivered are lost with them."""
    op.drop_index("ix_webhook_events_due", table_name="webhook_events")
    op.drop_index("ix_webhook_events_line", table_name="webhook_events")
    op.drop_table("webhook_events")
    op.drop_table("webhooks")
