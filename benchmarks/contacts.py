"""Throughput and latency of ``ContactService.register_incoming`` for new leads.

1. A fresh SQLite file (a temporary directory, or ``--db``), schema from the models, seeded
   with 10 sources and 100 operators linked to every source (weights 1..5, started, active,
   ``max_open`` 1000 so that nearly every contact is assigned).
2. ``--contacts`` new leads (round-robin over the sources) each write their first message
   through ``register_incoming``, one after the other in one asyncio task, each on a fresh
   session from the factory as the bot does per update. Timed per call.
3. ``--history`` closed contacts of ``--history-leads`` leads are inserted in bulk
   (INSERT ... SELECT over a recursive CTE), then step 2 runs again with as many new leads.

Prints a Markdown table, PASS/FAIL per target, and a last line of JSON.
"""

import argparse
import asyncio
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from benchmarks.figures import Target, first_message, log, peak_rss_mb, quantile, verdict
from bot.app import freeze_startup_objects
from db.base import Base
from db.checkpoint import WalCheckpointer
from db.engine import create_engine, create_session_factory
from db.models import (
    Contact,
    ContactStatus,
    DistributionMode,
    Lead,
    Operator,
    OperatorSource,
    Source,
)
from services.contacts import ContactService, Outcome
from services.hours import format_schedule
from services.hours import parse as parse_hours

SOURCES = 10
OPERATORS = 100
MAX_OPEN = 1_000
SEED = 20261123

# Telegram ids of the three populations of leads never overlap.
FIRST_RUN_LEADS = 1_000_000_000
HISTORY_LEADS = 2_000_000_000
SECOND_RUN_LEADS = 3_000_000_000

# Targets of the README.
MIN_PER_SECOND = 1_000.0
MAX_P99_MS = 5.0
MIN_HISTORY_RATIO = 0.8


@dataclass(slots=True)
class Phase:
    """Figures of one timed run of ``register_incoming`` over new leads."""

    name: str
    history: int
    contacts: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    cpu_ms_per_call: float
    peak_rss_mb: float
    outcomes: dict[str, int]
    statements_per_call: float | None = None
    statement_kinds: dict[str, int] = field(default_factory=dict)


class StatementCounter:
    """Counts the SQL statements the engine sends, by their first keyword."""

    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter()
        self.enabled = False

    def attach(self, engine: AsyncEngine) -> None:
        """Listen to every statement of ``engine``."""

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _count(*args: Any) -> None:
            if self.enabled:
                statement: str = args[2]
                self.kinds[statement.lstrip().split(None, 1)[0].upper()] += 1

    @contextmanager
    def counting(self) -> Iterator[Counter[str]]:
        """Count only inside the block; yields the counter (reset on entry)."""
        self.kinds.clear()
        self.enabled = True
        try:
            yield self.kinds
        finally:
            self.enabled = False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``contacts`` benchmark."""
    parser.add_argument(
        "--contacts", type=int, default=10_000, help="new leads per run (default 10000)"
    )
    parser.add_argument(
        "--history",
        type=int,
        default=1_000_000,
        help="closed historic contacts inserted before the second run (default 1000000)",
    )
    parser.add_argument(
        "--history-leads",
        type=int,
        default=None,
        help="distinct leads of the history (default: history / 5)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="SQLite file to create (must not exist; kept afterwards); default: a temp dir",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of random.Random")
    parser.add_argument(
        "--mode",
        type=DistributionMode,
        choices=list(DistributionMode),
        default=DistributionMode.RANDOM,
        help="distribution mode of every source (default random)",
    )
    parser.add_argument(
        "--hours",
        default=None,
        help="business hours of every source, as /hours takes them (e.g. 'mon-sun 00:00-24:00"
        " tz=Europe/Berlin': always open, but every contact asks the schedule); default none",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="also count SQL statements per call (a little overhead)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a target fails"
    )


def run(args: argparse.Namespace) -> int:
    """Run the benchmark from parsed arguments; print the figures; return the exit status."""
    if args.contacts < 1 or args.history < 0:
        raise SystemExit("--contacts must be ≥ 1 and --history ≥ 0")
    history_leads = args.history_leads or max(1, args.history // 5)
    if args.db is not None:
        if args.db.exists():
            raise SystemExit(f"{args.db} exists; the benchmark needs a fresh database file")
        return asyncio.run(_main(args, args.db, history_leads))
    with tempfile.TemporaryDirectory(prefix="switchboard-bench-") as tmp:
        return asyncio.run(_main(args, Path(tmp) / "bench.db", history_leads))


async def _main(args: argparse.Namespace, path: Path, history_leads: int) -> int:
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    checkpointer = WalCheckpointer.for_url(url)
    assert checkpointer is not None  # a SQLite file
    counter = StatementCounter()
    if args.statements:
        counter.attach(engine)
    factory = create_session_factory(engine)
    rng = random.Random(args.seed)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        source_ids, operator_ids = await seed(factory, args.mode, args.hours)
        log(f"seeded {len(source_ids)} sources × {len(operator_ids)} operators in {path}")
        freeze_startup_objects()  # as python -m bot does once started
        checkpointer.start()  # and this

        empty = await register_new_leads(
            factory, source_ids, FIRST_RUN_LEADS, args.contacts, rng, "empty", 0, counter
        )
        log(f"empty database: {empty.per_second:,.0f} contacts/s")

        history_seconds = 0.0
        if args.history:
            started = time.perf_counter()
            await insert_history(engine, source_ids, operator_ids, args.history, history_leads)
            history_seconds = time.perf_counter() - started
            log(
                f"inserted {args.history:,} closed contacts of {history_leads:,} leads "
                f"in {history_seconds:.1f} s"
            )
        loaded = await register_new_leads(
            factory,
            source_ids,
            SECOND_RUN_LEADS,
            args.contacts,
            rng,
            "with history" if args.history else "second run",
            args.history,
            counter,
        )
        queued_total = await count_queued(factory)
    finally:
        await checkpointer.stop()
        await engine.dispose()

    ok = report(empty, loaded, history_seconds, queued_total, sqlite_version())
    return 1 if args.check and not ok else 0


async def seed(
    factory: async_sessionmaker[AsyncSession],
    mode: DistributionMode = DistributionMode.RANDOM,
    hours: str | None = None,
) -> tuple[list[int], list[int]]:
    """Create the sources (distributing in ``mode``, with the business hours ``hours``) and
    operators; every operator is linked to every source."""
    schedule = parse_hours(hours) if hours else None
    spec = format_schedule(schedule) if schedule else None
    async with factory.begin() as session:
        sources = [
            Source(
                bot_id=9_000 + n,
                username=f"bench_bot{n}",
                title=f"Bench bot {n}",
                mode=mode,
                hours=spec,
            )
            for n in range(SOURCES)
        ]
        operators = [
            Operator(
                telegram_id=500_000 + n,
                username=f"op{n}",
                display_name=f"Operator {n}",
                active=True,
                max_open=MAX_OPEN,
                open_count=0,
            )
            for n in range(OPERATORS)
        ]
        session.add_all([*sources, *operators])
        await session.flush()
        session.add_all(
            OperatorSource(
                operator_id=operator.id,
                source_id=source.id,
                weight=1 + (i + j) % 5,
                started=True,
                unreachable=False,
            )
            for i, operator in enumerate(operators)
            for j, source in enumerate(sources)
        )
        return [s.id for s in sources], [o.id for o in operators]


async def register_new_leads(
    factory: async_sessionmaker[AsyncSession],
    source_ids: list[int],
    first_telegram_id: int,
    count: int,
    rng: random.Random,
    name: str,
    history: int,
    counter: StatementCounter,
) -> Phase:
    """Register the first message of ``count`` new leads, one at a time; time every call."""
    messages = [
        first_message(source_ids[n % len(source_ids)], first_telegram_id + n) for n in range(count)
    ]
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    clock = time.perf_counter
    with counter.counting() as kinds:
        cpu_started = time.process_time()
        started = clock()
        for message in messages:
            before = clock()
            async with factory() as session:
                result = await ContactService(session, rng).register_incoming(message)
            latencies.append(clock() - before)
            outcomes[result.outcome.value] += 1
        seconds = clock() - started
        cpu_seconds = time.process_time() - cpu_started
    if outcomes[Outcome.ASSIGNED.value] + outcomes[Outcome.QUEUED.value] != count:
        raise RuntimeError(f"expected only new contacts, got {dict(outcomes)}")
    total_statements = sum(kinds.values())
    return Phase(
        name=name,
        history=history,
        contacts=count,
        seconds=seconds,
        per_second=count / seconds,
        p50_ms=quantile(latencies, 0.50) * 1e3,
        p99_ms=quantile(latencies, 0.99) * 1e3,
        max_ms=max(latencies) * 1e3,
        cpu_ms_per_call=cpu_seconds / count * 1e3,
        peak_rss_mb=peak_rss_mb(),
        outcomes=dict(outcomes),
        statements_per_call=total_statements / count if total_statements else None,
        statement_kinds=dict(kinds.most_common()),
    )


async def insert_history(
    engine: AsyncEngine,
    source_ids: list[int],
    operator_ids: list[int],
    contacts: int,
    leads: int,
) -> None:
    """Insert ``leads`` old leads and ``contacts`` closed contacts of theirs, in bulk.

    Two INSERT ... SELECT over a recursive counter, so no row crosses into Python. Contact n
    belongs to lead n mod ``leads``, source n mod 10 and one of the operators; it was opened
    ``contacts - n`` × 30 s ago (oldest first), assigned a minute later and closed an hour later.
    """
    now = int(datetime.now(UTC).timestamp())
    step = 30
    start = now - (contacts + 1) * step - 3_600
    stamp = "strftime('%Y-%m-%d %H:%M:%S', {}, 'unixepoch') || '.000000'"
    sources = ",".join(str(i) for i in source_ids)
    operators = ",".join(str(i) for i in operator_ids)
    async with engine.begin() as conn:
        first_lead = (await conn.execute(select(func.coalesce(func.max(Lead.id), 0)))).scalar_one()
        first_lead += 1
        await conn.exec_driver_sql(
            f"""
            WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ?)
            INSERT INTO leads (id, telegram_id, username, first_name, last_name, language, phone,
                               created_at, last_seen_at)
            SELECT ? + n, ? + n, 'old' || n, 'Old lead ' || n, NULL, 'en', NULL,
                   {stamp.format("? + n * ?")}, {stamp.format("?")}
            FROM seq
            """,
            (leads, first_lead, HISTORY_LEADS, start, step, now - 3_600),
        )
        await conn.exec_driver_sql(
            f"""
            WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ?),
                 src(k, id) AS (SELECT key, value FROM json_each('[{sources}]')),
                 ops(k, id) AS (SELECT key, value FROM json_each('[{operators}]')),
                 t(n, lead_id, k_src, k_op, at) AS (
                     SELECT n, ? + n % ?, n % ?, (n * 7919) % ?, ? + n * ? FROM seq
                 )
            INSERT INTO contacts (lead_id, source_id, operator_id, status, created_at, assigned_at,
                                  first_reply_at, last_activity_at, reminded_at, closed_at,
                                  closed_by, close_reason)
            SELECT t.lead_id, src.id, ops.id, ?,
                   {stamp.format("t.at")}, {stamp.format("t.at + 60")},
                   {stamp.format("t.at + 120")}, {stamp.format("t.at + 600")}, NULL,
                   {stamp.format("t.at + 3600")}, 'system', 'benchmark history'
            FROM t JOIN src ON src.k = t.k_src JOIN ops ON ops.k = t.k_op
            ORDER BY t.n
            """,
            (
                contacts,
                first_lead,
                leads,
                len(source_ids),
                len(operator_ids),
                start,
                step,
                ContactStatus.CLOSED.value,
            ),
        )
        inserted = (
            await conn.execute(
                select(func.count())
                .select_from(Contact)
                .where(Contact.status == ContactStatus.CLOSED)
            )
        ).scalar_one()
    if inserted < contacts:
        raise RuntimeError(f"history insert left {inserted} closed contacts, wanted {contacts}")


async def count_queued(factory: async_sessionmaker[AsyncSession]) -> int:
    """Contacts still waiting for an operator at the end."""
    async with factory() as session:
        stmt = (
            select(func.count())
            .select_from(Contact)
            .where(Contact.operator_id.is_(None), Contact.status == ContactStatus.NEW)
        )
        return (await session.execute(stmt)).scalar_one()


def sqlite_version() -> str:
    """Version of the SQLite library the driver links."""
    return sqlite3.sqlite_version


def targets(empty: Phase, loaded: Phase) -> list[Target]:
    """Each target: its description, the measured figure, and whether it is met."""
    ratio = loaded.per_second / empty.per_second
    return [
        (
            f"empty: ≥ {MIN_PER_SECOND:,.0f} contacts/s",
            empty.per_second,
            empty.per_second >= MIN_PER_SECOND,
        ),
        (f"empty: p99 ≤ {MAX_P99_MS:g} ms", empty.p99_ms, empty.p99_ms <= MAX_P99_MS),
        (
            f"history: ≥ {MIN_PER_SECOND:,.0f} contacts/s",
            loaded.per_second,
            loaded.per_second >= MIN_PER_SECOND,
        ),
        (f"history: p99 ≤ {MAX_P99_MS:g} ms", loaded.p99_ms, loaded.p99_ms <= MAX_P99_MS),
        (
            f"history/empty throughput ≥ {MIN_HISTORY_RATIO:.0%}",
            ratio,
            ratio >= MIN_HISTORY_RATIO,
        ),
    ]


def report(
    empty: Phase, loaded: Phase, history_seconds: float, queued_total: int, sqlite: str
) -> bool:
    """Print the table, the targets and the JSON line; whether every target passed."""
    ratio = loaded.per_second / empty.per_second
    print(f"register_incoming, new leads (SQLite {sqlite}, Python {sys.version.split()[0]})")
    print()
    print(
        "| database | history contacts | new contacts | contacts/s | p50 ms | p99 ms | max ms"
        " | CPU ms/call | queued | stmts/call | peak RSS MB |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for phase in (empty, loaded):
        stmts = f"{phase.statements_per_call:.1f}" if phase.statements_per_call else "–"
        print(
            f"| {phase.name} | {phase.history:,} | {phase.contacts:,} | {phase.per_second:,.0f}"
            f" | {phase.p50_ms:.2f} | {phase.p99_ms:.2f} | {phase.max_ms:.1f}"
            f" | {phase.cpu_ms_per_call:.2f}"
            f" | {phase.outcomes.get(Outcome.QUEUED.value, 0):,} | {stmts}"
            f" | {phase.peak_rss_mb:.0f} |"
        )
    print()
    print(
        f"history/empty throughput: {ratio:.2f}; history insert took {history_seconds:.1f} s; "
        f"contacts queued at the end: {queued_total:,}"
    )
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"load average at the end: {load} ({os.cpu_count()} CPUs; other work skews figures)")
    for phase in (empty, loaded):
        if phase.statement_kinds:
            kinds = ", ".join(
                f"{kind} {n / phase.contacts:.1f}" for kind, n in phase.statement_kinds.items()
            )
            print(f"statements per call ({phase.name}): {kinds}")
    print()
    results = targets(empty, loaded)
    passed = verdict(results)
    print(
        json.dumps(
            {
                "benchmark": "contacts",
                "sqlite": sqlite,
                "empty": asdict(empty),
                "with_history": asdict(loaded),
                "history_ratio": round(ratio, 4),
                "history_insert_seconds": round(history_seconds, 3),
                "queued_at_end": queued_total,
                "load_average": list(os.getloadavg()),
                "targets": {d: ok for d, _, ok in results},
                "passed": passed,
            },
            ensure_ascii=False,
        )
    )
    return passed
