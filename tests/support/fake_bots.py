"""The bots and people of the fake Telegram's own tests (the fixtures register both bots)."""

from fake_telegram import User

LEAD_TOKEN = "111111:lead-secret"  # @lead_bot
OPERATOR_TOKEN = "222222:operator-secret"  # @operator_bot
ANN = User(1001, "Ann", "Lee", "ann")
BOB = User(1002, "Bob", username="bob")
