"""Form sources and their leads, and the answers of idempotent API requests.

- sources.bot_id may be NULL: a form source (a web form, a landing page, a phone line) has no
  bot; sources.announcer_id names the bot that brings its cards to operators (exactly one of
  the two is set); a form source's name (username) is unique among form sources.
- leads.telegram_id may be NULL (a form's lead may have none); leads.external_id (the form's
  own id for the person, unique) and leads.email; leads' phone and email are indexed (a form's
  lead is looked up by them).
- idempotent_requests: the first answer to a POST sent with an Idempotency-Key.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 23:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_BOT_OR_FORM = "(bot_id IS NULL) <> (announcer_id IS NULL)"
_FORM = sa.text("bot_id IS NULL")
_MODE_CHECK = "mode IN ('random', 'exact', 'least_loaded')"


def _sources(*, forms: bool) -> sa.Table:
    """The sources table as revision 0008 left it (``forms=False``) or as this one does, for
    SQLite's rebuild (and its offline script) without reflection: the mode's CHECK stays the
    column's own (reflected, it would become the table's, and 0008's downgrade could no longer
    drop the column in place)."""
    form_parts: list[sa.SchemaItem] = []
    if forms:
        form_parts = [
            sa.Column("announcer_id", _BIG_ID, nullable=True),
            sa.CheckConstraint(_BOT_OR_FORM, name="ck_sources_bot_or_form"),
            sa.ForeignKeyConstraint(
                ["announcer_id"],
                ["sources.id"],
                name="fk_sources_announcer_id_sources",
                ondelete="CASCADE",
            ),
        ]
    return sa.Table(
        "sources",
        sa.MetaData(),
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("bot_id", sa.BigInteger(), nullable=forms),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender", sa.String(length=128), nullable=True),
        sa.Column("sender_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "mode",
            sa.String(length=16),
            sa.CheckConstraint(_MODE_CHECK, name="ck_sources_distribution_mode"),
            server_default="random",
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("bot_id", name="uq_sources_bot_id"),
        *form_parts,
    )


def _leads(*, forms: bool) -> sa.Table:
    """The leads table as revision 0008 left it (``forms=False``) or as this one does."""
    form_columns: list[sa.SchemaItem] = []
    if forms:
        form_columns = [
            sa.Column("external_id", sa.String(length=128), nullable=True),
            sa.Column("email", sa.String(length=256), nullable=True),
            sa.UniqueConstraint("external_id", name="uq_leads_external_id"),
        ]
    return sa.Table(
        "leads",
        sa.MetaData(),
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=forms),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("first_name", sa.String(length=256), nullable=False),
        sa.Column("last_name", sa.String(length=256), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chosen_language", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_leads"),
        sa.UniqueConstraint("telegram_id", name="uq_leads_telegram_id"),
        *form_columns,
    )


def upgrade() -> None:
    """Let sources be forms and leads come without a Telegram id; add the requests table."""
    with op.batch_alter_table("sources", copy_from=_sources(forms=False)) as batch:
        batch.add_column(sa.Column("announcer_id", _BIG_ID, nullable=True))
        batch.alter_column("bot_id", existing_type=sa.BigInteger(), nullable=True)
        batch.create_foreign_key(
            op.f("fk_sources_announcer_id_sources"),
            "sources",
            ["announcer_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_check_constraint(op.f("ck_sources_bot_or_form"), _BOT_OR_FORM)
    op.create_index(
        "uq_sources_form_name",
        "sources",
        ["username"],
        unique=True,
        sqlite_where=_FORM,
        postgresql_where=_FORM,
    )
    with op.batch_alter_table("leads", copy_from=_leads(forms=False)) as batch:
        batch.alter_column("telegram_id", existing_type=sa.BigInteger(), nullable=True)
        batch.add_column(sa.Column("external_id", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("email", sa.String(length=256), nullable=True))
        batch.create_unique_constraint(op.f("uq_leads_external_id"), ["external_id"])
    op.create_index(op.f("ix_leads_email"), "leads", ["email"], unique=False)
    op.create_index(op.f("ix_leads_phone"), "leads", ["phone"], unique=False)
    op.create_table(
        "idempotent_requests",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_idempotent_requests")),
    )


def downgrade() -> None:
    """Remove the form sources with their contacts and the leads only they knew, then the
    columns (a bot's source and a Telegram lead need their ids again)."""
    op.drop_table("idempotent_requests")
    op.execute("DELETE FROM sources WHERE bot_id IS NULL")
    op.execute("DELETE FROM leads WHERE telegram_id IS NULL")
    op.drop_index(op.f("ix_leads_phone"), table_name="leads")
    op.drop_index(op.f("ix_leads_email"), table_name="leads")
    with op.batch_alter_table("leads", copy_from=_leads(forms=True)) as batch:
        batch.drop_constraint(op.f("uq_leads_external_id"), type_="unique")
        batch.drop_column("email")
        batch.drop_column("external_id")
        batch.alter_column("telegram_id", existing_type=sa.BigInteger(), nullable=False)
    op.drop_index("uq_sources_form_name", table_name="sources")
    with op.batch_alter_table("sources", copy_from=_sources(forms=True)) as batch:
        batch.drop_constraint(op.f("ck_sources_bot_or_form"), type_="check")
        batch.drop_constraint(op.f("fk_sources_announcer_id_sources"), type_="foreignkey")
        batch.drop_column("announcer_id")
        batch.alter_column("bot_id", existing_type=sa.BigInteger(), nullable=False)
