"""The standalone entry point: python -m fake_telegram."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import aiohttp
import pytest

import fake_telegram
from fake_telegram.__main__ import _bot_spec

PROJECT_ROOT = Path(fake_telegram.__file__).resolve().parents[1]


def test_bot_spec_splits_token_and_username():
    assert _bot_spec("123:abc:demo_bot") == ("123:abc", "demo_bot")
    assert _bot_spec("123:abc") == ("123:abc", "fake123_bot")
    with pytest.raises(argparse.ArgumentTypeError):
        _bot_spec("not-a-token")


async def test_standalone_server_prints_its_url_and_stops_on_sigterm():
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "fake_telegram",
        "--port",
        "0",
        "--bot",
        "123:abc:demo_bot",
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        url = (await asyncio.wait_for(process.stdout.readline(), timeout=20)).decode().strip()
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{url}/bot123:abc/getMe") as response,
        ):
            assert (await response.json())["result"]["username"] == "demo_bot"
    finally:
        process.terminate()
        return_code = await asyncio.wait_for(process.wait(), timeout=20)

    assert return_code == 0
