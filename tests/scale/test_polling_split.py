"""Polling with several processes: each polls the tokens in its POLL_TOKENS, and only those."""

from fake_telegram import FakeTelegram, User
from tests.harness import ALPHA, BETA
from tests.support.scale import BotProcess

ANN = User(5001, "Ann")
BEN = User(5002, "Ben")
CLEO = User(5003, "Cleo")


async def test_two_processes_split_the_tokens_to_poll(
    telegram: FakeTelegram, database_url: str, tmp_path
):
    common = {
        "BOT_TOKENS": f"{ALPHA},{BETA}",
        "ADMIN_IDS": "1",
        "DATABASE_URL": database_url,
        "TELEGRAM_API_URL": telegram.base_url,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": "0",
    }
    alpha_poller = BotProcess("alpha poller", {**common, "POLL_TOKENS": ALPHA}, tmp_path)
    beta_poller = BotProcess("beta poller", {**common, "POLL_TOKENS": BETA}, tmp_path)

    await alpha_poller.start()
    await telegram.wait_for(lambda: telegram.is_polling("alpha_bot"), timeout=60)
    assert telegram.calls_of("getUpdates", "beta_bot") == []
    await beta_poller.start()
    await telegram.wait_for(lambda: telegram.is_polling("beta_bot"), timeout=60)

    # Each bot's clients are answered, by the process that polls it.
    await telegram.send_message("alpha_bot", ANN, "Hello alpha")
    await telegram.send_message("beta_bot", BEN, "Hello beta")
    (to_ann,) = await telegram.wait_received("alpha_bot", ANN.id, 1)
    (to_ben,) = await telegram.wait_received("beta_bot", BEN.id, 1)
    assert "in the queue" in to_ann.plain_text
    assert "in the queue" in to_ben.plain_text

    # The alpha poller stops: nobody takes alpha_bot's updates any more (the beta poller does
    # not poll it), beta_bot is still served.
    assert await alpha_poller.stop() == 0
    await telegram.send_message("alpha_bot", CLEO, "Hello alpha?")
    await telegram.send_message("beta_bot", CLEO, "Hello beta?")
    await telegram.wait_received("beta_bot", CLEO.id, 1)
    assert telegram.pending_updates("alpha_bot") == 1
    assert await beta_poller.stop() == 0

    # Had two processes polled one token, the newer poll would have ended the older with 409.
    assert {call.status for call in telegram.calls_of("getUpdates")} == {200}
    secret_parts = [ALPHA.partition(":")[2], BETA.partition(":")[2]]
    for process in (alpha_poller, beta_poller):
        process.records()  # JSON, one object per line
        assert not [line for line in process.lines if any(s in line for s in secret_parts)]
