"""CHECK constraints on the enum-valued columns: the database refuses a value outside the enum.

contacts.status, messages.direction and deliveries.status were plain strings that only the code
kept valid. deliveries.kind gets no constraint: its values are spelt out in services.outbox and
again in the delivery repository, not in one place of db.models.

PostgreSQL adds the constraints ``NOT VALID``: a change of the catalog only, without the scan
of every row under an exclusive lock that a plain ADD CONSTRAINT makes, which would stall a
large desk's processes still running meanwhile. New and changed rows are checked at once; the
rows already there were checked just before (below), and ``db.migrate`` validates the
constraints right after the upgrade commits (``VALIDATE CONSTRAINT``, in a transaction of its
own, which lets reads and writes go on while it scans).

SQLite cannot add a constraint to a table, so each of the three tables is rebuilt (batch mode:
create a copy with the constraint, copy the rows, drop the old table, rename the copy), from
the definitions below rather than from reflection: the same statements run online and in
``--sql`` mode, and every index comes back as revision 0003 left it, the partial ones with
their WHERE clause. Dropping the old table with foreign keys on
would cascade to every row referencing it (all messages and deliveries of the contacts), and
the pragma cannot change inside the migration's transaction: db.migrate connects with foreign
keys off, this migration refuses to run with them on, and checks every foreign key afterwards.

A row holding a value outside its enum (the application writes none) fails the upgrade before
anything changed, with a message naming the table, column and values: correct or delete those
rows, then upgrade again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00.000000
"""

from collections.abc import Callable, Sequence
from typing import NamedTuple

import sqlalchemy as sa
from alembic import context, op
from alembic.operations import BatchOperations
from alembic.util import CommandError
from sqlalchemy.schema import SchemaItem

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Offending values or rows quoted in an error message, at most.
_SHOWN = 10


class _Check(NamedTuple):
    """The CHECK constraint of one enum-valued column, with the enum's values at this revision."""

    table: str
    column: str
    enum_name: str
    values: tuple[str, ...]

    @property
    def name(self) -> str:
        """The name db.base's naming convention gives the constraint of the Enum type."""
        return op.f(f"ck_{self.table}_{self.enum_name}")

    @property
    def condition(self) -> str:
        """The expression, as SQLAlchemy's ``Enum(create_constraint=True)`` writes it."""
        quoted = ", ".join(f"'{value}'" for value in self.values)
        return f"{self.column} IN ({quoted})"


_CHECKS = (
    _Check("contacts", "status", "contact_status", ("new", "in_progress", "closed")),
    _Check("messages", "direction", "direction", ("in", "out")),
    _Check("deliveries", "status", "delivery_status", ("pending", "sent", "failed")),
)

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add the CHECK constraints, once every row is known to satisfy them."""
    if not context.is_offline_mode():
        for check in _CHECKS:
            _require_valid_rows(check)
    if _on_sqlite():
        _rebuild_on_sqlite(
            checked=False,
            change=lambda batch, check: batch.create_check_constraint(check.name, check.condition),
        )
    else:
        for check in _CHECKS:
            op.create_check_constraint(
                check.name, check.table, check.condition, postgresql_not_valid=True
            )
        if context.is_offline_mode():  # a script: validated where it runs, in the same go
            for check in _CHECKS:
                op.execute(f"ALTER TABLE {check.table} VALIDATE CONSTRAINT {check.name}")


def downgrade() -> None:
    """Drop the CHECK constraints."""
    if _on_sqlite():
        _rebuild_on_sqlite(
            checked=True,
            change=lambda batch, check: batch.drop_constraint(check.name, type_="check"),
        )
    else:
        for check in _CHECKS:
            op.drop_constraint(check.name, check.table, type_="check")


def _on_sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


def _require_valid_rows(check: _Check) -> None:
    found = (
        op.get_bind()
        .execute(
            sa.text(
                f"SELECT DISTINCT {check.column} FROM {check.table} "
                f"WHERE NOT ({check.condition}) ORDER BY 1 LIMIT {_SHOWN}"
            )
        )
        .scalars()
        .all()
    )
    if found:
        raise CommandError(
            f"{check.table}.{check.column} holds values outside {', '.join(check.values)}: "
            f"{', '.join(map(repr, found))}; correct or delete those rows, then upgrade again"
        )


def _rebuild_on_sqlite(*, checked: bool, change: Callable[[BatchOperations, _Check], None]) -> None:
    """Rebuild each table of ``_CHECKS`` with ``change`` made, foreign keys off meanwhile."""
    offline = context.is_offline_mode()
    if offline:
        # A script of its own, outside any transaction: the pragmas take effect there.
        op.execute("PRAGMA foreign_keys=OFF")
    else:
        _require_foreign_keys_off()
    tables = _tables_at_0003(checked=checked)
    for check in _CHECKS:
        with op.batch_alter_table(
            check.table, recreate="always", copy_from=tables[check.table]
        ) as batch:
            change(batch, check)
    if offline:
        op.execute("PRAGMA foreign_keys=ON")
    else:
        _require_foreign_keys_hold()


def _require_foreign_keys_off() -> None:
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise CommandError(
            "SQLite foreign keys are on: rebuilding a table would delete every row referencing "
            "it; migrate with python -m db (db.migrate), which connects with them off"
        )


def _require_foreign_keys_hold() -> None:
    broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        shown = "; ".join(
            f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in broken[:_SHOWN]
        )
        raise CommandError(
            f"PRAGMA foreign_key_check: {len(broken)} rows reference rows that do not exist "
            f"({shown}); the migration is rolled back"
        )


def _tables_at_0003(*, checked: bool) -> dict[str, sa.Table]:
    """contacts, messages and deliveries as revisions 0001-0003 made them (with this
    revision's CHECK constraints when ``checked``): what batch mode rebuilds on SQLite."""
    metadata = sa.MetaData()

    def table(name: str, *elements: SchemaItem) -> sa.Table:
        checks = [sa.CheckConstraint(c.condition, name=c.name) for c in _CHECKS if c.table == name]
        return sa.Table(name, metadata, *elements, *(checks if checked else ()))

    def fk(table_name: str, column: str, referred: str, ondelete: str) -> sa.ForeignKeyConstraint:
        return sa.ForeignKeyConstraint(
            [column],
            [f"{referred}.id"],
            name=op.f(f"fk_{table_name}_{column}_{referred}"),
            ondelete=ondelete,
        )

    contacts = table(
        "contacts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("lead_id", _ID, nullable=False),
        sa.Column("source_id", _ID, nullable=False),
        sa.Column("operator_id", _ID, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_reply_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("close_reason", sa.String(length=256), nullable=True),
        fk("contacts", "lead_id", "leads", "CASCADE"),
        fk("contacts", "operator_id", "operators", "SET NULL"),
        fk("contacts", "source_id", "sources", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.Index("ix_contacts_lead", "lead_id"),
        sa.Index("ix_contacts_operator_status", "operator_id", "status"),
        sa.Index(
            "ix_contacts_queue",
            "created_at",
            sqlite_where=sa.text("operator_id IS NULL AND status = 'new'"),
        ),
        sa.Index("ix_contacts_source_created", "source_id", "created_at"),
        sa.Index(
            "uq_contacts_open_lead_source",
            "lead_id",
            "source_id",
            unique=True,
            sqlite_where=sa.text("status <> 'closed'"),
        ),
        sa.Index(
            "ix_contacts_closed_at", "closed_at", sqlite_where=sa.text("closed_at IS NOT NULL")
        ),
    )
    messages = table(
        "messages",
        sa.Column("id", _ID, nullable=False),
        sa.Column("contact_id", _ID, nullable=False),
        sa.Column("source_id", _ID, nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=False),
        sa.Column("copy_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("copy_message_id", sa.BigInteger(), nullable=True),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("media_group_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        fk("messages", "contact_id", "contacts", "CASCADE"),
        fk("messages", "source_id", "sources", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint(
            "source_id",
            "chat_id",
            "telegram_message_id",
            name=op.f("uq_messages_source_id_chat_id_telegram_message_id"),
        ),
        sa.Index("ix_messages_contact", "contact_id", "id"),
    )
    deliveries = table(
        "deliveries",
        sa.Column("id", _ID, nullable=False),
        sa.Column("source_id", _ID, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("contact_id", _ID, nullable=True),
        sa.Column("message_id", _ID, nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=512), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_message_id", sa.BigInteger(), nullable=True),
        fk("deliveries", "contact_id", "contacts", "CASCADE"),
        fk("deliveries", "message_id", "messages", "CASCADE"),
        fk("deliveries", "source_id", "sources", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.Index("ix_deliveries_chat", "source_id", "chat_id", "id"),
        sa.Index("ix_deliveries_pending", "status", "next_attempt_at"),
        sa.Index("ix_deliveries_sent", "source_id", "chat_id", "sent_message_id"),
    )
    return {t.name: t for t in (contacts, messages, deliveries)}
