"""What every benchmark shares: the first message of a new lead, quantiles, peak RSS, output."""

import resource
import statistics
import sys
from pathlib import Path

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


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def peak_rss_of_mb(pid: int) -> float:
    """Peak resident set size in MiB of a running process, from Linux's ``/proc``.

    Not ``getrusage(RUSAGE_CHILDREN)``: Linux carries the parent's peak into a child it
    starts (it is the child until ``exec``), so that would report this process's size.
    """
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM in /proc/{pid}/status")


def log(line: str) -> None:
    """A progress line, on standard error so that standard output stays the report."""
    print(f"# {line}", file=sys.stderr, flush=True)


def verdict(targets: list[Target]) -> bool:
    """Print PASS or FAIL for each target; whether all passed."""
    for description, figure, ok in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {description}  (measured {figure:,.2f})")
    return all(ok for _, _, ok in targets)
