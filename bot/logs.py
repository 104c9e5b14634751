"""Logging: one line per event, text or JSON, with bot tokens never written out."""

import json
import logging
import re
import sys
from datetime import UTC, datetime

# A bot token (<bot id>:<secret>) anywhere in a message, also inside a request URL
# (".../bot123456:AAH.../getMe", where no word boundary precedes the id) and URL-encoded.
_TOKEN = re.compile(r"(?<![0-9])[0-9]{5,}(?::|%3[Aa])[A-Za-z0-9_-]{20,}")


def redact(text: str) -> str:
    """Hide bot tokens."""
    return _TOKEN.sub("<token>", text)


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record)).replace("\n", " | ")


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(fmt: str, level: str) -> None:
    """Send every log record, and Python's warnings, to stderr as one line of text or JSON."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.captureWarnings(True)  # e.g. aiogram's RuntimeWarnings, else printed as raw text
