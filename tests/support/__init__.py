"""Helpers the tests share: plain modules, no fixtures and no tests (fixtures live in the
conftest files, which import from here)."""
