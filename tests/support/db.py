"""The database the suite runs on: a SQLite file per test, or PostgreSQL when set."""

import os

# PostgreSQL when set (the whole suite then runs on it), else each test gets a SQLite file.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
