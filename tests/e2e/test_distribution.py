"""Weighted distribution of many clients between operators, through the real bot."""

from fake_telegram import User
from tests.e2e.helpers import cards, clients, settle, texts
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

ANN = User(1001, "Ann", username="ann_op")
BOB = User(1002, "Bob", username="bob_op")
CLIENTS = 200
EXPECTED_SHARE = 0.75  # weights 3 : 1
# The binomial standard deviation of Ann's share is sqrt(0.75 * 0.25 / 200) ≈ 0.031; the
# tolerance is over three of them (and the app's rng is seeded, so the result is stable).
TOLERANCE = 0.1


async def test_weights_are_honoured_across_many_clients(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN, limit=CLIENTS)
    await switchboard.add_operator(BOB, limit=CLIENTS)
    weights = await switchboard.command(ADMIN, "/weights @ann_op=3 @bob_op=1")
    assert "Ann: weight 3, share 75%" in weights
    assert "Bob: weight 1, share 25%" in weights

    for client in clients(CLIENTS):
        await telegram.send_message("alpha_bot", client, f"Hello from {client.first_name}")
    await settle(switchboard)

    ann, bob = len(cards(telegram, "alpha_bot", ANN.id)), len(cards(telegram, "alpha_bot", BOB.id))
    assert ann + bob == CLIENTS, "every client got exactly one operator"
    assert abs(ann / CLIENTS - EXPECTED_SHARE) < TOLERANCE, (ann, bob)
    for client in clients(CLIENTS):
        assert "operator has your message" in texts(telegram, "alpha_bot", client.id)[0]

    stats = await switchboard.command(ADMIN, "/stats")
    assert f"@alpha_bot: {CLIENTS} contacts, {CLIENTS} open, 0 queued" in stats
    assert f"Ann: {ann} ({ann / CLIENTS:.0%}, weight share 75%)" in stats
    assert f"Bob: {bob} ({bob / CLIENTS:.0%}, weight share 25%)" in stats
