"""The SQL of new contacts with less of the stack under it: what SQLite and SQLAlchemy's
asyncio layer cost on their own, and what the ORM and Switchboard's code add.

1. ``--contacts`` new leads go through ``ContactService.register_incoming`` on a fresh SQLite
   file seeded as in the ``contacts`` benchmark, one after the other, while a listener records
   every statement the driver receives, with its parameters (recording costs a few
   microseconds a call).
2. The recorded transactions are replayed one by one, timed, on two more files seeded the same
   way: through SQLAlchemy's ``AsyncConnection.exec_driver_sql`` (the async engine and the
   aiosqlite adapter, without ORM or SQL compilation), and through the ``sqlite3`` module alone
   (same pragmas, ``BEGIN IMMEDIATE`` ... ``COMMIT``). Every run has the WAL checkpointer.

A fresh file seeded the same way hands out the same ids, so the recorded parameters, ids that
earlier statements returned included, hold on replay; the row counts at the end must match.

Prints a Markdown table and a last line of JSON.
"""

import argparse
import asyncio
import json
import random
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.contacts import FIRST_RUN_LEADS, SEED, StatementCounter, register_new_leads, seed
from benchmarks.figures import log, quantile
from bot.app import freeze_startup_objects
from db.base import Base
from db.checkpoint import WalCheckpointer
from db.engine import SQLITE_BEGIN, SQLITE_PRAGMAS, create_engine, create_session_factory

# SQL, parameters as the driver received them, and whether it was an executemany.
Statement = tuple[str, Any, bool]
Transaction = list[Statement]

# Tables whose row counts must agree after every run.
_TABLES = ("leads", "contacts", "messages", "deliveries")


@dataclass(frozen=True, slots=True)
class Run:
    """Figures of one run over the same transactions."""

    stack: str
    per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_call: float


class Recorder:
    """Records the statements an engine's driver receives, one list per transaction."""

    def __init__(self) -> None:
        self.transactions: list[Transaction] = []

    def attach(self, engine: AsyncEngine) -> None:
        """Record every statement of ``engine`` from now on."""

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _record(
            _conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, many: bool
        ) -> None:
            # Every SQLite transaction starts with this statement, and only then.
            if sql == SQLITE_BEGIN:
                self.transactions.append([])
            else:
                self.transactions[-1].append((sql, params, many))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``floor`` benchmark."""
    parser.add_argument(
        "--contacts", type=int, default=5_000, help="new leads to register (default 5000)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of random.Random")


def run(args: argparse.Namespace) -> int:
    """Run the benchmark from parsed arguments; print the figures; return the exit status."""
    if args.contacts < 1:
        raise SystemExit("--contacts must be ≥ 1")
    with tempfile.TemporaryDirectory(prefix="switchboard-floor-") as tmp:
        return asyncio.run(_main(args.contacts, args.seed, Path(tmp)))


async def _main(contacts: int, rng_seed: int, tmp: Path) -> int:
    freeze_startup_objects()  # as the contacts benchmark and python -m bot do
    recorder = Recorder()
    ours = await _on_fresh_file(
        tmp / "ours.db",
        lambda engine, sources: _register(engine, sources, contacts, rng_seed, recorder),
    )
    if len(recorder.transactions) != contacts:
        raise RuntimeError(f"recorded {len(recorder.transactions)} transactions for {contacts}")
    log(f"recorded {contacts:,} transactions: {ours.per_second:,.0f} contacts/s")
    through_sqlalchemy = await _on_fresh_file(
        tmp / "sqlalchemy.db", lambda engine, _: _replay_sqlalchemy(engine, recorder.transactions)
    )
    log(f"replayed through SQLAlchemy: {through_sqlalchemy.per_second:,.0f} contacts/s")
    through_sqlite3 = await _on_fresh_file(
        tmp / "sqlite3.db",
        lambda engine, _: _replay_sqlite3(engine, tmp / "sqlite3.db", recorder.transactions),
    )
    counts = {name: _row_counts(tmp / f"{name}.db") for name in ("ours", "sqlalchemy", "sqlite3")}
    if len({tuple(c.items()) for c in counts.values()}) != 1:
        raise RuntimeError(f"replays left different rows: {counts}")
    statements = sum(len(t) for t in recorder.transactions) / contacts
    _report([ours, through_sqlalchemy, through_sqlite3], statements, contacts)
    return 0


async def _on_fresh_file(
    path: Path, timed: Callable[[AsyncEngine, list[int]], Awaitable[Run]]
) -> Run:
    """Create and seed a SQLite file, then run ``timed`` on it with a WAL checkpointer."""
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    checkpointer = WalCheckpointer.for_url(url)
    assert checkpointer is not None  # a SQLite file
    try:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        source_ids, _ = await seed(create_session_factory(engine))
        checkpointer.start()
        return await timed(engine, source_ids)
    finally:
        await checkpointer.stop()
        await engine.dispose()


async def _register(
    engine: AsyncEngine, source_ids: list[int], contacts: int, rng_seed: int, recorder: Recorder
) -> Run:
    recorder.attach(engine)
    phase = await register_new_leads(
        create_session_factory(engine),
        source_ids,
        FIRST_RUN_LEADS,
        contacts,
        random.Random(rng_seed),
        "ours",
        0,
        StatementCounter(),
    )
    return Run(
        "ContactService (ORM and our code)",
        phase.per_second,
        phase.p50_ms,
        phase.p99_ms,
        phase.cpu_ms_per_call,
    )


async def _replay_sqlalchemy(engine: AsyncEngine, transactions: list[Transaction]) -> Run:
    async def one(statements: Transaction) -> None:
        async with engine.begin() as conn:
            for sql, params, _many in statements:
                result = await conn.exec_driver_sql(sql, params)
                if result.returns_rows:
                    result.all()

    return await _timed("SQLAlchemy AsyncConnection.exec_driver_sql", transactions, one)


async def _replay_sqlite3(engine: AsyncEngine, path: Path, transactions: list[Transaction]) -> Run:
    await engine.dispose()  # seeded; the replay has the file to itself
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        connection.execute(pragma)

    async def one(statements: Transaction) -> None:
        connection.execute(SQLITE_BEGIN)
        for sql, params, many in statements:
            cursor = (
                connection.executemany(sql, params) if many else connection.execute(sql, params)
            )
            cursor.fetchall()
        connection.execute("COMMIT")

    try:
        return await _timed("sqlite3 alone", transactions, one)
    finally:
        connection.close()


async def _timed(
    stack: str, transactions: list[Transaction], one: Callable[[Transaction], Awaitable[None]]
) -> Run:
    """Run ``one`` over every transaction, timing each call."""
    latencies: list[float] = []
    clock = time.perf_counter
    cpu_started = time.process_time()
    started = clock()
    for statements in transactions:
        before = clock()
        await one(statements)
        latencies.append(clock() - before)
    seconds = clock() - started
    cpu_seconds = time.process_time() - cpu_started
    count = len(transactions)
    return Run(
        stack,
        count / seconds,
        quantile(latencies, 0.50) * 1e3,
        quantile(latencies, 0.99) * 1e3,
        cpu_seconds / count * 1e3,
    )


def _row_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        counts = {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _TABLES}
        counts["open_slots"] = connection.execute(
            "SELECT sum(open_count) FROM operators"
        ).fetchone()[0]
        return counts
    finally:
        connection.close()


def _report(runs: list[Run], statements: float, contacts: int) -> None:
    print(
        f"The SQL of {contacts:,} new contacts ({statements:.1f} statements and a commit each)"
        f" on SQLite {sqlite3.sqlite_version}, through less and less of the stack"
    )
    print()
    print("| through | contacts/s | p50 ms | p99 ms | CPU ms/call |")
    print("|---|--:|--:|--:|--:|")
    for r in runs:
        print(
            f"| {r.stack} | {r.per_second:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f}"
            f" | {r.cpu_ms_per_call:.2f} |"
        )
    print()
    ours, through_sqlalchemy, through_sqlite3 = (r.cpu_ms_per_call for r in runs)
    print(
        f"of a call's {ours:.2f} ms of CPU: SQLite {through_sqlite3:.2f}, SQLAlchemy's asyncio"
        f" layer {through_sqlalchemy - through_sqlite3:.2f}, ORM and our code"
        f" {ours - through_sqlalchemy:.2f}"
    )
    print(json.dumps({"benchmark": "floor", "runs": [asdict(r) for r in runs]}))
