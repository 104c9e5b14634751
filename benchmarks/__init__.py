"""Benchmarks of Switchboard's hot paths; run ``python -m benchmarks --help``."""
