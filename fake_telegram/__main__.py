"""Run the fake Telegram standalone.

python -m fake_telegram --port 8081 --bot 123456:secret:support_bot --bot 654321:other
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from .faults import FaultPlan, RateLimits
from .server import FakeTelegram


def _bot_spec(spec: str) -> tuple[str, str]:
    """Split ``TOKEN[:username]`` (the token itself contains one colon)."""
    parts = spec.split(":")
    if len(parts) not in (2, 3) or not parts[0].isdigit() or not parts[1]:
        msg = f"expected <bot_id>:<secret>[:username], got {spec!r}"
        raise argparse.ArgumentTypeError(msg)
    username = parts[2] if len(parts) == 3 else f"fake{parts[0]}_bot"
    return f"{parts[0]}:{parts[1]}", username


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fake_telegram", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument(
        "--bot",
        type=_bot_spec,
        action="append",
        default=[],
        metavar="TOKEN[:USERNAME]",
        help="register a bot (repeatable)",
    )
    parser.add_argument(
        "--rate-limits", action="store_true", help="enable Telegram-like flood control"
    )
    parser.add_argument("--rate-429", type=float, default=0.0, help="share of sends answered 429")
    parser.add_argument("--rate-5xx", type=float, default=0.0, help="share of sends answered 5xx")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault dice")
    return parser


async def _serve(args: argparse.Namespace) -> None:
    faults = None
    if args.rate_429 or args.rate_5xx:
        faults = FaultPlan(rate_429=args.rate_429, rate_5xx=args.rate_5xx, seed=args.seed)
    fake = FakeTelegram(faults=faults, limits=RateLimits() if args.rate_limits else None)
    for token, username in args.bot:
        fake.add_bot(token, username)
    url = await fake.start(args.host, args.port)
    print(url, flush=True)
    for token, username in args.bot:
        print(f"  @{username}  token {token}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not available on Windows
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await fake.close()


def main() -> None:
    """Parse the command line and serve until interrupted."""
    asyncio.run(_serve(_parser().parse_args()))


if __name__ == "__main__":
    main()
