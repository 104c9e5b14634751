"""The SQLite benchmarks stay runnable: a tiny run of each ends well and reports its figures.

Figures are not checked (they belong to the benchmarks, not to tests); each runs in a new
process, as from the command line, because a benchmark freezes the garbage collector's objects.
"""

import json
import subprocess
import sys


def _last_json_line(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_contacts_benchmark_registers_every_contact_with_and_without_history():
    report = _last_json_line("contacts", "--contacts", "20", "--history", "200")
    assert report["empty"]["outcomes"] == {"assigned": 20}
    assert report["with_history"]["outcomes"] == {"assigned": 20}
    assert report["with_history"]["history"] == 200


def test_floor_benchmark_replays_the_same_rows_through_each_stack():
    # The benchmark itself fails when a replay leaves rows that differ from the recorded run.
    report = _last_json_line("floor", "--contacts", "20")
    stacks = [run["stack"] for run in report["runs"]]
    assert stacks == [
        "ContactService (ORM and our code)",
        "SQLAlchemy AsyncConnection.exec_driver_sql",
        "sqlite3 alone",
    ]


def test_chart_benchmark_draws_both_desks():
    report = _last_json_line("chart", "--repeat", "1")
    assert [run["operators"] for run in report["runs"]] == [10, 100]
