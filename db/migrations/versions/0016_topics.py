"""Topics per source.

- topics: the topics a source offers its clients (``/topic add``), unique by name per source.
- topic_weights: operator × topic weights (``/weights <topic> …``); a topic without rows takes
  its source's weights.
- contacts.topic_id: the contact's topic, NULL when it has none (or its topic was deleted).
- sources.has_topics: whether the source offers any, so that a source without topics reads
  no table of them for a new contact.

``contacts.topic_id`` has no foreign key (SQLite would copy the table to add one): deleting a
topic clears it from its contacts in the same transaction. New tables only otherwise: their
constraints hold from the start, nothing needs NOT VALID.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-03 11:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add the topics, their weights, the contacts' topic and the sources' flag."""
    op.create_table(
        "topics",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("source_id", _BIG_ID, nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_topics_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("source_id", "name", name=op.f("uq_topics_source_id_name")),
    )
    op.create_table(
        "topic_weights",
        sa.Column("topic_id", _BIG_ID, nullable=False),
        sa.Column("operator_id", _BIG_ID, nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.CheckConstraint("weight >= 0", name=op.f("ck_topic_weights_topic_weight_non_negative")),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_topic_weights_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.id"],
            name=op.f("fk_topic_weights_operator_id_operators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("topic_id", "operator_id", name=op.f("pk_topic_weights")),
    )
    op.add_column(
        "sources",
        sa.Column("has_topics", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    # No foreign key: SQLite would have to copy the whole table to add one. /topic del clears
    # the topic of its contacts in its own transaction instead.
    op.add_column("contacts", sa.Column("topic_id", _BIG_ID, nullable=True))


def downgrade() -> None:
    """Drop them: no source offers topics any more."""
    op.drop_column("contacts", "topic_id")
    op.drop_column("sources", "has_topics")
    op.drop_table("topic_weights")
    op.drop_table("topics")
