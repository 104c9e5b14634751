"""Delivery of client messages to operators through the real bot, under Telegram's limits.

The bot runs as its own process (``python -m bot``, SQLite in a temporary directory unless
``--database-url``) against ``fake_telegram`` enforcing Telegram's flood limits (30 messages/s
per bot after a burst of 30, 1/s per chat after a burst of 3).

1. Seeding: ``--operators`` operators per bot, each with a limit of ``--limit`` open contacts
   (one by default), start their bot; ``--clients`` clients per bot.
2. Burst: every client writes ``--messages`` texts at once (5 × 20 × 10 = 1,000 by default).
   Measured: the time from the first message to the last copy (or card carrying a client's
   first message) reaching its operator, against
   the least time the limits allow for everything the bot had to send meanwhile (acks to the
   clients, cards and copies to the operators): per bot (sends − burst) ÷ rate, per chat the
   same, the largest of them. Also the 429 answers (the pacing should cause none).
3. Steady load: ``--steady`` more messages from the same clients at ``--rate`` a second.
   Measured: latency from the update being queued at Telegram to the copy reaching Telegram.
4. The peak resident set size of the bot process.

Prints a Markdown table, PASS/FAIL per target, and a last line of JSON.
"""

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.figures import Target, log, peak_rss_of_mb, quantile, verdict
from db.engine import create_engine, create_session_factory
from fake_telegram import FakeTelegram, RateLimits, User
from fake_telegram.state import Call
from tests.e2e.load import (
    Copies,
    People,
    Written,
    clients_of,
    operators_of,
    seed_operators,
    start_bots,
    write_burst,
)
from tests.e2e.process import BotProcess, bot_environment

ADMIN_ID = 1
LIMITS = RateLimits()  # Telegram's: 30/s per bot (burst 30), 1/s per chat (burst 3)

# Targets.
MAX_BOUND_RATIO = 1.3
MAX_P50_MS = 50.0
MAX_P99_MS = 200.0
MAX_RSS_MB = 150.0


@dataclass(slots=True)
class Figures:
    """What one run measured."""

    bots: int
    burst_messages: int
    burst_sends: int
    burst_seconds: float
    bound_seconds: float
    bound_by: str
    ratio: float
    too_many_requests: int
    steady_messages: int
    steady_rate: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    peak_rss_mb: float


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``burst`` benchmark."""
    parser.add_argument("--bots", type=int, default=5, help="bots (default 5)")
    parser.add_argument("--clients", type=int, default=20, help="clients per bot (default 20)")
    parser.add_argument(
        "--messages", type=int, default=10, help="burst messages per client (default 10)"
    )
    parser.add_argument(
        "--operators",
        type=int,
        default=None,
        help="operators per bot (default: enough for every client, --limit contacts each)",
    )
    parser.add_argument(
        "--limit", type=int, default=1, help="open contacts per operator (default 1)"
    )
    parser.add_argument(
        "--steady", type=int, default=200, help="messages of the steady phase (default 200)"
    )
    parser.add_argument(
        "--rate", type=float, default=5.0, help="messages/s of the steady phase (default 5)"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="the bot's database (emptied first by nothing: give a fresh one); "
        "default: SQLite in a temporary directory",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a target fails"
    )


def run(args: argparse.Namespace) -> int:
    """Run the benchmark from parsed arguments; print the figures; return the exit status."""
    if min(args.bots, args.clients, args.messages, args.steady, args.limit) < 1 or args.rate <= 0:
        raise SystemExit(
            "--bots, --clients, --messages, --steady, --limit and --rate must be positive"
        )
    if args.operators is None:
        args.operators = -(-args.clients // args.limit)
    if args.operators * args.limit < args.clients:
        raise SystemExit("--operators × --limit must be at least --clients: nobody waits")
    with tempfile.TemporaryDirectory(prefix="switchboard-burst-") as tmp:
        figures = asyncio.run(_main(args, Path(tmp)))
    ok = report(figures)
    return 1 if args.check and not ok else 0


async def _main(args: argparse.Namespace, workdir: Path) -> Figures:
    bots = [f"bench{n}_bot" for n in range(args.bots)]
    tokens = {bot: f"{9_100 + n}:bench-secret-token-number-{n}" for n, bot in enumerate(bots)}
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    telegram = FakeTelegram(limits=LIMITS)
    await telegram.start()
    for bot, token in tokens.items():
        telegram.add_bot(token, bot)
    env = bot_environment(
        bot_tokens=",".join(tokens.values()),
        admin_ids=ADMIN_ID,
        database_url=database_url,
        telegram_api_url=telegram.base_url,
        log_level="WARNING",
    )
    process = BotProcess(telegram, bots, env, workdir / "bot.log")
    staff = operators_of(bots, args.operators)
    crowd = clients_of(bots, args.clients)
    engine = create_engine(database_url)
    try:
        await process.start()
        await seed_operators(create_session_factory(engine), staff, limit=args.limit)
        await start_bots(telegram, staff)
        names = {token: bot for bot, token in tokens.items()}
        burst = await _burst(telegram, staff, crowd, args.messages, names)
        log(f"burst: {burst['seconds']:.1f} s against a bound of {burst['bound']:.1f} s")
        latencies = await _steady(telegram, staff, crowd, args.steady, args.rate)
        assert process.process is not None
        peak_rss = peak_rss_of_mb(process.process.pid)
    finally:
        await process.stop()
        await engine.dispose()
        await telegram.close()
    return Figures(
        bots=args.bots,
        burst_messages=burst["messages"],
        burst_sends=burst["sends"],
        burst_seconds=burst["seconds"],
        bound_seconds=burst["bound"],
        bound_by=burst["bound_by"],
        ratio=burst["seconds"] / burst["bound"],
        too_many_requests=telegram.too_many_requests,
        steady_messages=args.steady,
        steady_rate=args.rate,
        p50_ms=quantile(latencies, 0.50) * 1e3,
        p99_ms=quantile(latencies, 0.99) * 1e3,
        max_ms=max(latencies) * 1e3,
        peak_rss_mb=peak_rss,
    )


async def _burst(
    telegram: FakeTelegram, staff: People, crowd: People, per_client: int, names: dict[str, str]
) -> dict[str, float | int | str]:
    """Every client writes at once; how long until the last copy, and the least possible."""
    copies = Copies(telegram, staff)
    first_call = len(telegram.calls)
    written = await write_burst(telegram, crowd, per_client)
    await telegram.wait_for(lambda: copies.count() >= len(written), timeout=600)
    sends = [
        call
        for call in telegram.calls[first_call:]
        if call.status == 200 and call.method in LIMITS.methods
    ]
    # The last message an operator got: a copy, or a card carrying a client's first message.
    operators = {str(person.id) for group in staff.values() for person in group}
    last = max(call.at for call in sends if str(call.params["chat_id"]) in operators)
    seconds = last - written[0].at
    bound, bound_by = lower_bound(sends, names)
    return {
        "messages": len(written),
        "sends": len(sends),
        "seconds": seconds,
        "bound": bound,
        "bound_by": bound_by,
    }


def lower_bound(sends: list[Call], names: dict[str, str]) -> tuple[float, str]:
    """The least time in which Telegram's limits let these messages through (token buckets
    starting full), and which bot or chat (of ``names``: token → bot) is the bottleneck."""
    per_bot = Counter(call.token for call in sends)
    per_chat = Counter((call.token, str(call.params["chat_id"])) for call in sends)
    candidates = [
        ((n - LIMITS.bot_burst) / LIMITS.per_bot_per_second, f"@{names[token]}")
        for token, n in per_bot.items()
    ] + [
        ((n - LIMITS.chat_burst) / LIMITS.per_chat_per_second, f"chat {chat} of @{names[token]}")
        for (token, chat), n in per_chat.items()
    ]
    return max(candidates)


async def _steady(
    telegram: FakeTelegram, staff: People, crowd: People, count: int, rate: float
) -> list[float]:
    """``count`` messages at ``rate`` a second, round-robin over the clients (so that no chat
    is paced); each one's latency from its update to its copy reaching Telegram."""
    people = [(bot, person) for bot, group in crowd.items() for person in group]
    copies = Copies(telegram, staff)
    expected = copies.count() + count
    first_call = len(telegram.calls)
    written: list[Written] = []
    started = time.monotonic()
    for n in range(count):
        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
        bot, person = people[n % len(people)]
        written.append(await _write_one(telegram, bot, person, n))
    await telegram.wait_for(lambda: copies.count() >= expected, timeout=60)
    arrived = {
        (int(call.params["from_chat_id"]), int(call.params["message_id"])): call.at
        for call in telegram.calls[first_call:]
        if call.method == "copyMessage" and call.status == 200
    }
    return [arrived[w.chat_id, w.message_id] - w.at for w in written]


async def _write_one(telegram: FakeTelegram, bot: str, person: User, n: int) -> Written:
    at = time.monotonic()
    message = await telegram.send_message(bot, person, f"steady #{n}")
    return Written(bot, person.id, message["message_id"], at)


def targets(figures: Figures) -> list[Target]:
    """Each target: its description, the measured figure, and whether it is met."""
    return [
        (
            f"burst ≤ {MAX_BOUND_RATIO}× the limits' bound",
            figures.ratio,
            figures.ratio <= MAX_BOUND_RATIO,
        ),
        ("no 429 from Telegram", figures.too_many_requests, figures.too_many_requests == 0),
        (f"steady p50 ≤ {MAX_P50_MS:g} ms", figures.p50_ms, figures.p50_ms <= MAX_P50_MS),
        (f"steady p99 ≤ {MAX_P99_MS:g} ms", figures.p99_ms, figures.p99_ms <= MAX_P99_MS),
        (
            f"peak RSS ≤ {MAX_RSS_MB:g} MB",
            figures.peak_rss_mb,
            figures.peak_rss_mb <= MAX_RSS_MB,
        ),
    ]


def report(figures: Figures) -> bool:
    """Print the table, the targets and the JSON line; whether every target passed."""
    f = figures
    print(f"Client messages to operators through the bot (Python {sys.version.split()[0]})")
    print()
    print(
        "| bots | burst msgs | sends | burst s | bound s (by) | ratio | 429 | steady msgs @/s"
        " | p50 ms | p99 ms | max ms | peak RSS MB |"
    )
    print("|--:|--:|--:|--:|--|--:|--:|--:|--:|--:|--:|--:|")
    print(
        f"| {f.bots} | {f.burst_messages:,} | {f.burst_sends:,} | {f.burst_seconds:.2f}"
        f" | {f.bound_seconds:.2f} ({f.bound_by}) | {f.ratio:.2f} | {f.too_many_requests}"
        f" | {f.steady_messages} @ {f.steady_rate:g} | {f.p50_ms:.1f} | {f.p99_ms:.1f}"
        f" | {f.max_ms:.1f} | {f.peak_rss_mb:.0f} |"
    )
    print()
    results = targets(figures)
    passed = verdict(results)
    print(
        json.dumps(
            {
                "benchmark": "burst",
                **asdict(figures),
                "targets": {d: ok for d, _, ok in results},
                "passed": passed,
            },
            ensure_ascii=False,
        )
    )
    return passed
