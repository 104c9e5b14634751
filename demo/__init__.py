"""The demo of ``make demo``: Switchboard against the fake Bot API server, from a source checkout
only (neither this package nor ``fake_telegram`` is installed with Switchboard)."""
