"""Scale-out on PostgreSQL: new contacts per second with one and with several processes, and
the response time of the data behind /stats and /queue, on a desk with a long history.

1. A new database on the PostgreSQL server of ``--server`` (default: TEST_DATABASE_URL, else
   postgresql+asyncpg://postgres@127.0.0.1:5432/postgres), migrated to head, dropped at the
   end unless ``--keep``.
2. 10 sources, 100 operators linked to every source (weights 1..5, started, limit 1,000), then
   ``--leads`` leads with ``--history`` closed contacts between them, ``--open`` contacts in
   progress and ``--queued`` waiting ones, each table filled by one INSERT ... SELECT over
   generate_series; VACUUM ANALYZE.
3. The first /stats after that counts the history into the tallies (timed on its own line).
4. ``--contacts`` new leads each write a first message through
   ``ContactService.register_incoming``: first in one process, then spread over
   ``--processes`` processes. Each process (spawned) has its own event loop and engine and
   keeps ``--concurrency`` calls in flight; they start together behind a barrier, and the
   throughput is all contacts over the time from that start to the last one's end.
5. ``AdminService.stats()`` and ``AdminService.queue()`` are timed ``--repeat`` times each.

Prints a Markdown table, PASS/FAIL per target (several processes at least twice as fast as
one; /stats within 200 ms) and a last line of JSON. The processes and PostgreSQL share this
machine's CPUs: with fewer cores than processes + 1 the first target cannot be met.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from multiprocessing.synchronize import Barrier

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from benchmarks.figures import first_message, log, quantile, verdict
from bot.app import freeze_startup_objects
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from services.admin import AdminService
from services.contacts import ContactService

SOURCES = 10
OPERATORS = 100
MAX_OPEN = 1_000
SEED = 20261123
DEFAULT_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
# Telegram ids of the populations of leads never overlap.
HISTORY_LEADS = 2_000_000_000
FIRST_NEW_LEADS = 3_000_000_000
NEW_LEADS_PER_RUN = 100_000_000
# Targets.
MIN_SPEEDUP = 2.0
MAX_STATS_MS = 200.0


@dataclass(slots=True)
class Run:
    """One throughput run: ``processes`` processes registering ``contacts`` new leads."""

    processes: int
    concurrency: int
    contacts: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    cpu_seconds: float
    outcomes: dict[str, int]


@dataclass(slots=True)
class Part:
    """What one benchmark process measured (start and end are wall-clock times)."""

    start: float
    end: float
    latencies: list[float]
    outcomes: dict[str, int]
    cpu_seconds: float


@dataclass(slots=True)
class Timing:
    """Response times of one read, in milliseconds."""

    name: str
    p50_ms: float
    max_ms: float
    samples: int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``scale`` benchmark."""
    parser.add_argument(
        "--server",
        default=os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER,
        help="a PostgreSQL URL; the benchmark creates its own database on that server",
    )
    parser.add_argument("--leads", type=int, default=1_000_000, help="leads of the history")
    parser.add_argument(
        "--history", type=int, default=5_000_000, help="closed contacts of the history"
    )
    parser.add_argument("--open", type=int, default=1_000, help="contacts in progress")
    parser.add_argument("--queued", type=int, default=2_000, help="contacts waiting")
    parser.add_argument("--contacts", type=int, default=10_000, help="new leads per throughput run")
    parser.add_argument(
        "--processes", type=int, default=3, help="processes of the second run (default 3)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=24, help="calls in flight per process (default 24)"
    )
    parser.add_argument("--repeat", type=int, default=20, help="timings of /stats and /queue")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a target fails"
    )


def run(args: argparse.Namespace) -> int:
    """Run the benchmark from parsed arguments; print the figures; return the exit status."""
    if make_url(args.server).get_backend_name() != "postgresql":
        raise SystemExit("--server must be a postgresql+asyncpg:// URL")
    if min(args.contacts, args.processes, args.concurrency, args.repeat) < 1:
        raise SystemExit("--contacts, --processes, --concurrency and --repeat must be ≥ 1")
    return asyncio.run(_main(args))


async def _main(args: argparse.Namespace) -> int:
    server = make_url(args.server).set(drivername="postgresql+asyncpg")
    name = f"switchboard_bench_{uuid.uuid4().hex[:12]}"
    url = server.set(database=name).render_as_string(hide_password=False)
    admin = create_async_engine(
        server.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    log(f"database {name} on {server.host}")
    try:
        await upgrade_to_head(url)
        started = time.perf_counter()
        await fill(url, args)
        fill_seconds = time.perf_counter() - started
        log(f"history inserted and analysed in {fill_seconds:.0f} s")
        (catch_up,) = await time_reads(url, 1, ["stats"])
        catch_up.name = "/stats, the first (counts the history into the tallies)"
        log(f"{catch_up.name}: {catch_up.max_ms:.0f} ms")
        runs = []
        for number, processes in enumerate((1, args.processes)):
            first_lead = FIRST_NEW_LEADS + number * NEW_LEADS_PER_RUN
            runs.append(await asyncio.to_thread(throughput, url, processes, first_lead, args))
            log(f"{processes} process(es): {runs[-1].per_second:,.0f} contacts/s")
        reads = await time_reads(url, args.repeat, ["stats", "queue"])
    finally:
        if args.keep:
            log(f"kept database {name}")
        else:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
    ok = report(args, runs, reads, catch_up, fill_seconds)
    return 1 if args.check and not ok else 0


async def fill(url: str, args: argparse.Namespace) -> None:
    """Sources, operators and the history, each inserted by one statement."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await _fill(conn, args)
        async with engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(
                text("VACUUM ANALYZE")
            )
    finally:
        await engine.dispose()


async def _fill(conn: AsyncConnection, args: argparse.Namespace) -> None:
    execute = conn.execute
    await execute(
        text(
            "INSERT INTO sources (bot_id, username, title, created_at) "
            "SELECT 9000 + n, 'bench_bot' || n, 'Bench bot ' || n, now() "
            "FROM generate_series(0, :n - 1) AS n"
        ),
        {"n": SOURCES},
    )
    await execute(
        text(
            "INSERT INTO operators (telegram_id, username, display_name, active, max_open,"
            " open_count, created_at) "
            "SELECT 500000 + n, 'op' || n, 'Operator ' || n, true, :max_open, 0, now() "
            "FROM generate_series(0, :n - 1) AS n"
        ),
        {"n": OPERATORS, "max_open": MAX_OPEN},
    )
    await execute(
        text(
            "INSERT INTO operator_sources (operator_id, source_id, weight, started, unreachable) "
            "SELECT o.id, s.id, 1 + (o.id + s.id) % 5, true, false "
            "FROM operators AS o CROSS JOIN sources AS s"
        )
    )
    try:  # skip the foreign key checks of millions of rows (they hold by construction)
        async with conn.begin_nested():
            await execute(text("SET LOCAL session_replication_role = replica"))
    except DBAPIError:
        log("not a superuser: the history is inserted with foreign key checks (slower)")
    await execute(
        text(
            "INSERT INTO leads (telegram_id, username, first_name, language, created_at,"
            " last_seen_at) "
            "SELECT :first + n, 'old' || n, 'Old lead ' || n, 'en',"
            " now() - interval '400 days', now() - interval '1 day' "
            "FROM generate_series(0, :n - 1) AS n"
        ),
        {"first": HISTORY_LEADS, "n": args.leads},
    )
    # Contact n: lead n mod leads, source n mod 10, an operator, opened 6 s after contact n-1
    # (the last ones recently); closed an hour after opening, except the last --open ones (in
    # progress) and the --queued after them (waiting, no operator).
    total = args.history + args.open + args.queued
    await execute(
        text(
            """
            INSERT INTO contacts (lead_id, source_id, operator_id, status, created_at,
                                  assigned_at, first_reply_at, last_activity_at, closed_at,
                                  closed_by, close_reason)
            SELECT l.first + n % :leads, s.first + n % :sources,
                   CASE WHEN n < :assigned THEN o.first + (n * 7919) % :operators END,
                   CASE WHEN n < :closed THEN 'closed'
                        WHEN n < :assigned THEN 'in_progress' ELSE 'new' END,
                   at, at + interval '1 minute', at + interval '2 minutes',
                   at + interval '10 minutes',
                   CASE WHEN n < :closed THEN at + interval '1 hour' END,
                   CASE WHEN n < :closed THEN 'system' END,
                   CASE WHEN n < :closed THEN 'benchmark history' END
            FROM (SELECT min(id) AS first FROM leads) AS l,
                 (SELECT min(id) AS first FROM sources) AS s,
                 (SELECT min(id) AS first FROM operators) AS o,
                 generate_series(0::bigint, :total - 1) AS n,
                 LATERAL (SELECT now() - (:total - n) * interval '6 seconds' AS at) AS t
            """
        ),
        {
            "leads": args.leads,
            "sources": SOURCES,
            "operators": OPERATORS,
            "closed": args.history,
            "assigned": args.history + args.open,
            "total": total,
        },
    )
    await execute(
        text(
            "UPDATE operators SET open_count = open.n FROM ("
            " SELECT operator_id, count(*) AS n FROM contacts"
            " WHERE status <> 'closed' AND operator_id IS NOT NULL GROUP BY operator_id"
            ") AS open WHERE open.operator_id = operators.id"
        )
    )


def throughput(url: str, processes: int, first_lead: int, args: argparse.Namespace) -> Run:
    """Register ``args.contacts`` new leads spread over ``processes`` spawned processes."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    share = -(-args.contacts // processes)
    workers = [
        context.Process(
            target=_register_in_process,
            args=(
                url,
                first_lead + k * share,
                min(share, args.contacts - k * share),
                args.concurrency,
                SEED + k,
                barrier,
                results,
            ),
        )
        for k in range(processes)
    ]
    for worker in workers:
        worker.start()
    parts = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
        if worker.exitcode:
            raise RuntimeError(f"a benchmark process failed with status {worker.exitcode}")
    seconds = max(part.end for part in parts) - min(part.start for part in parts)
    latencies = [latency for part in parts for latency in part.latencies]
    outcomes: Counter[str] = Counter()
    for part in parts:
        outcomes.update(part.outcomes)
    return Run(
        processes=processes,
        concurrency=args.concurrency,
        contacts=len(latencies),
        seconds=seconds,
        per_second=len(latencies) / seconds,
        p50_ms=quantile(latencies, 0.50) * 1e3,
        p99_ms=quantile(latencies, 0.99) * 1e3,
        cpu_seconds=sum(part.cpu_seconds for part in parts),
        outcomes=dict(outcomes),
    )


def _register_in_process(
    url: str,
    first_lead: int,
    count: int,
    concurrency: int,
    seed: int,
    barrier: Barrier,
    results: "multiprocessing.Queue[Part]",
) -> None:
    """Entry point of one benchmark process."""
    results.put(asyncio.run(_register(url, first_lead, count, concurrency, seed, barrier)))


async def _register(
    url: str, first_lead: int, count: int, concurrency: int, seed: int, barrier: Barrier
) -> Part:
    engine = create_engine(url, pool_size=concurrency)
    factory = create_session_factory(engine)
    rng = random.Random(seed)
    source_ids = await _source_ids(engine)
    await _open_connections(engine, concurrency)
    freeze_startup_objects()  # as python -m bot does once started
    await asyncio.to_thread(barrier.wait)  # every process is connected: go
    numbers = iter(range(count))
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()

    async def register() -> None:
        for n in numbers:  # shared by the tasks of this loop
            lead = first_lead + n
            message = first_message(source_ids[lead % len(source_ids)], lead)
            began = time.perf_counter()
            async with factory() as session:
                result = await ContactService(session, rng).register_incoming(message)
            latencies.append(time.perf_counter() - began)
            outcomes[result.outcome.value] += 1

    cpu, start = time.process_time(), time.time()
    await asyncio.gather(*(register() for _ in range(concurrency)))
    end, cpu = time.time(), time.process_time() - cpu
    await engine.dispose()
    return Part(start, end, latencies, dict(outcomes), cpu)


async def _source_ids(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as conn:
        return list((await conn.execute(text("SELECT id FROM sources ORDER BY id"))).scalars())


async def _open_connections(engine: AsyncEngine, count: int) -> None:
    """Fill the pool before the clock starts."""
    connections = [await engine.connect() for _ in range(count)]
    for connection in connections:
        await connection.close()


async def time_reads(url: str, repeat: int, names: list[str]) -> list[Timing]:
    """Time AdminService methods (``stats``, ``queue``), each call on a fresh session."""
    engine = create_engine(url)
    factory = create_session_factory(engine)
    rng = random.Random(SEED)
    timings = []
    try:
        for name in names:
            samples = []
            for _ in range(repeat):
                async with factory() as session:
                    began = time.perf_counter()
                    await getattr(AdminService(session, rng), name)()
                    samples.append((time.perf_counter() - began) * 1e3)
            timings.append(Timing(f"/{name}", quantile(samples, 0.50), max(samples), len(samples)))
    finally:
        await engine.dispose()
    return timings


def report(
    args: argparse.Namespace,
    runs: list[Run],
    reads: list[Timing],
    catch_up: Timing,
    fill_seconds: float,
) -> bool:
    """Print the tables, the targets and the JSON line; whether every target passed."""
    one, many = runs
    speedup = many.per_second / one.per_second
    stats = next(timing for timing in reads if timing.name == "/stats")
    print(
        f"PostgreSQL, {args.leads:,} leads, {args.history:,} closed contacts, "
        f"{args.open:,} in progress, {args.queued:,} queued; Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs"
    )
    print()
    print(
        "| processes | in flight each | new contacts | contacts/s | p50 ms | p99 ms"
        " | CPU ms/contact |"
    )
    print("|--:|--:|--:|--:|--:|--:|--:|")
    for r in runs:
        print(
            f"| {r.processes} | {r.concurrency} | {r.contacts:,} | {r.per_second:,.0f}"
            f" | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.cpu_seconds / r.contacts * 1e3:.1f} |"
        )
    print()
    print("| read | p50 ms | max ms | samples |")
    print("|---|--:|--:|--:|")
    for timing in [*reads, catch_up]:
        print(f"| {timing.name} | {timing.p50_ms:.1f} | {timing.max_ms:.1f} | {timing.samples} |")
    print()
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"history inserted in {fill_seconds:.0f} s; load average at the end: {load}")
    results = [
        (f"{many.processes} processes ≥ {MIN_SPEEDUP:g}× one process", speedup, speedup >= 2),
        (f"/stats p50 ≤ {MAX_STATS_MS:g} ms", stats.p50_ms, stats.p50_ms <= MAX_STATS_MS),
    ]
    passed = verdict(results)
    print(
        json.dumps(
            {
                "benchmark": "scale",
                "cpus": os.cpu_count(),
                "leads": args.leads,
                "history": args.history,
                "runs": [asdict(r) for r in runs],
                "speedup": round(speedup, 3),
                "reads": [asdict(t) for t in [*reads, catch_up]],
                "fill_seconds": round(fill_seconds, 1),
                "load_average": list(os.getloadavg()),
                "targets": {d: ok for d, _, ok in results},
                "passed": passed,
            },
            ensure_ascii=False,
        )
    )
    return passed
