"""``/stats chart``: the time to draw the PNG for desks of 10 and 100 operators in two bots.

The day is made up (``tests.support.charts``): what is measured is the drawing, which takes the
time; reading the day from the database is one query of the day's contacts. Each size is drawn
``--repeat`` times after one warm-up (fonts are loaded and cached on the first), and the median
is reported with the picture's size.

Prints a Markdown table, PASS/FAIL for the target (100 operators under a second), and a last
line of JSON.
"""

import argparse
import json
import statistics
import time

from benchmarks.figures import Target, verdict
from bot.charts import draw_day
from tests.support.charts import busy_day

_SIZES = (10, 100)
_BOTS = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``chart`` benchmark."""
    parser.add_argument("--repeat", type=int, default=5, help="draws per size (default 5)")


def run(args: argparse.Namespace) -> int:
    """Draw, time and print; the exit status is 0 when the target is met."""
    if args.repeat < 1:
        raise SystemExit("--repeat must be ≥ 1")
    draw_day(busy_day(2, 1), "en")  # warm-up
    rows = []
    for operators in _SIZES:
        day = busy_day(operators, _BOTS)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            chart = draw_day(day, "en")
            times.append(time.perf_counter() - started)
        rows.append(
            {
                "operators": operators,
                "bots": _BOTS,
                "median_s": round(statistics.median(times), 3),
                "width": chart.width,
                "height": chart.height,
                "png_kb": round(len(chart.png) / 1024),
                "photo": chart.fits_a_photo,
            }
        )
    print("| operators | bots | median draw, s | pixels | PNG, KiB | as a photo |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['operators']} | {row['bots']} | {row['median_s']} | "
            f"{row['width']}×{row['height']} | {row['png_kb']} | {row['photo']} |"
        )
    largest = rows[-1]
    targets: list[Target] = [
        ("100 operators drawn in under 1 s", largest["median_s"], largest["median_s"] < 1.0)
    ]
    passed = verdict(targets)
    print(json.dumps({"runs": rows}))
    return 0 if passed else 1
