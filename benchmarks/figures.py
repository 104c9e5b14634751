"""What every benchmark shares: the first message of a new lead, quantiles, peak RSS, output."""

import resource
import statistics
import sys

from db.repositories import LeadProfile
from services.contacts import IncomingMessage

Target = tuple[str, float, bool]  # description, measured figure, whether it is met


def first_message(source_id: int, telegram_id: int) -> IncomingMessage:
    """The first message of a new lead, as the bot builds it from an update."""
    return IncomingMessage(
        source_id=source_id,
        chat_id=telegram_id,
        message_id=1,
        profile=LeadProfile(
            telegram_id=telegram_id,
            first_name=f"Lead {telegram_id}",
            username=f"lead{telegram_id}",
            language="en",
        ),
        content_type="text",
        text="Hello, I have a question about my order.",
    )


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0 < q < 1, in steps of 0.001) of ``values``."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=1000, method="inclusive")[round(q * 1000) - 1]


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MiB of this process, or with ``resource.RUSAGE_CHILDREN`` of
    its largest finished child (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def log(line: str) -> None:
    """A progress line, on standard error so that standard output stays the report."""
    print(f"# {line}", file=sys.stderr, flush=True)


def verdict(targets: list[Target]) -> bool:
    """Print PASS or FAIL for each target; whether all passed."""
    for description, figure, ok in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {description}  (measured {figure:,.2f})")
    return all(ok for _, _, ok in targets)
