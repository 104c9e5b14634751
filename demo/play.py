"""``make demo``: Switchboard at work without tokens or network.

Starts the fake Bot API server with two bots, a temporary SQLite database and the real
application (long polling over HTTP, as in production), then plays a short day at the help
desk and prints what every person sees in their Telegram chats.
"""

import asyncio
import random
import tempfile
import textwrap
from pathlib import Path

from bot.app import App, create_app, run_polling
from bot.config import Settings
from fake_telegram import FakeTelegram, Received, User
from services.delivery import Pacing

SHOP = "shop_help_bot"
APP = "app_help_bot"
TOKENS = {SHOP: "700001:demo-shop-token", APP: "700002:demo-app-token"}
ADMIN = User(1, "Ada", username="ada_admin")
ANN = User(101, "Ann", username="ann_op")
BOB = User(102, "Bob", username="bob_op")
CARLA = User(201, "Carla")
DAN = User(202, "Dan", last_name="Miller")
EVE = User(203, "Eve")
FINN = User(204, "Finn")
PEOPLE = (ADMIN, ANN, BOB, CARLA, DAN, EVE, FINN)
OPERATORS = (ANN, BOB)
# The demo has no Telegram limits to respect; pacing would only make it slower.
NO_PACING = Pacing(bot_rate=1000, bot_burst=1000, chat_rate=1000, chat_burst=1000)
SEED = 2026


class Scene:
    """Drives users through the fake Telegram and prints what each of them receives."""

    def __init__(self, telegram: FakeTelegram, app: App) -> None:
        self.telegram = telegram
        self.app = app
        self.shown: dict[tuple[str, int], int] = {}  # (bot, chat) → messages printed so far

    @staticmethod
    def title(text: str) -> None:
        """Start a new part of the story."""
        print(f"\n━━ {text}")

    async def say(self, user: User, bot: str, text: str, reply_to: Received | None = None) -> None:
        """``user`` writes ``text`` to ``bot`` (a Telegram reply to ``reply_to`` if given)."""
        replying = " (replying)" if reply_to else ""
        print(f"\n{user.first_name} → @{bot}{replying}: {text}")
        await self.telegram.send_message(
            bot, user, text, reply_to=reply_to.message_id if reply_to else None
        )
        await self.settle()

    async def send_photo(self, user: User, bot: str, caption: str) -> None:
        """``user`` sends a photo with a caption."""
        print(f"\n{user.first_name} → @{bot}: [photo] {caption}")
        await self.telegram.send_media(bot, user, "photo", caption=caption)
        await self.settle()

    async def press(self, user: User, bot: str, message: Received) -> None:
        """``user`` presses the (first) button under ``message``."""
        button = (message.reply_markup or {})["inline_keyboard"][0][0]
        print(f"\n{user.first_name} presses “{button['text']}” in @{bot}")
        await self.telegram.press_button(bot, user, message.message_id, button["callback_data"])
        await self.settle()

    async def settle(self) -> None:
        """Wait until every update is handled and every staged message sent; print them."""
        bots = tuple(TOKENS)
        await self.telegram.wait_for(
            lambda: all(
                self.telegram.pending_updates(bot) == 0 and self.telegram.is_polling(bot)
                for bot in bots
            )
        )
        await self.app.worker.drain()
        for person in PEOPLE:
            for bot in bots:
                received = self.telegram.received(bot, person.id)
                for message in received[self.shown.get((bot, person.id), 0) :]:
                    print(_describe(person, bot, message))
                self.shown[(bot, person.id)] = len(received)

    def copy_of(self, sender: User, bot: str, chat: User) -> Received | None:
        """The latest message of ``sender`` that ``bot`` passed on into ``chat``'s chat: a
        copy, or the card that carries the first one."""
        copies = [
            message
            for message in self.telegram.received(bot, chat.id)
            if (message.copied_from and message.copied_from[0] == sender.id)
            or _is_card_for(message, sender)
        ]
        return copies[-1] if copies else None

    def operator_of(self, client: User, bot: str) -> tuple[User, Received]:
        """The operator who got ``client``'s messages, and the latest of them."""
        for operator in OPERATORS:
            copy = self.copy_of(client, bot, operator)
            if copy is not None:
                return operator, copy
        raise LookupError(f"nobody got {client.first_name}'s messages in @{bot}")

    def card_for(self, operator: User, bot: str, client: User) -> Received:
        """The card (with its Close button) an operator got for ``client``'s contact."""
        received = self.telegram.received(bot, operator.id)
        return next(m for m in reversed(received) if _is_card_for(m, client))


def _is_card_for(message: Received, client: User) -> bool:
    """Whether ``message`` is the card (it has the Close button) of a contact of ``client``."""
    return bool(message.reply_markup) and f"(id {client.id}" in (message.plain_text or "")


def _describe(person: User, bot: str, message: Received) -> str:
    """One received message as a transcript line."""
    text = message.plain_text or ""
    if message.content_type != "text":
        text = f"[{message.content_type}] {text}".rstrip()
    if message.copied_from is not None and person in OPERATORS:
        sender = next((p.first_name for p in PEOPLE if p.id == message.copied_from[0]), "?")
        text = f"({sender} wrote) {text}"
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        text += "\n" + "  ".join(f"[{button['text']}]" for button in row)
    first, *rest = text.splitlines() or [""]
    lines = [f"    {person.first_name} sees in @{bot}: {first}"]
    lines += [textwrap.indent(line, " " * 8) for line in rest]
    return "\n".join(lines)


async def _scenario(scene: Scene) -> None:
    scene.title("The admin adds two operators; each opens both bots")
    await scene.say(ADMIN, SHOP, "/addop 101 1")
    await scene.say(ADMIN, SHOP, "/addop 102 1")
    for operator in OPERATORS:
        for bot in TOKENS:
            await scene.say(operator, bot, "/start")

    scene.title("Ann should get three times as many shop contacts as Bob")
    await scene.say(ADMIN, SHOP, "/weights @ann_op=3 @bob_op=1")

    scene.title("Clients write; each gets an operator, who sees a card carrying the message")
    await scene.say(CARLA, SHOP, "Hi! My order #1042 has not arrived yet.")
    await scene.send_photo(DAN, SHOP, "The parcel came damaged, see the photo.")

    scene.title("The operators answer with Telegram replies; clients never learn who they are")
    carla_operator, carla_copy = scene.operator_of(CARLA, SHOP)
    await scene.say(
        carla_operator, SHOP, "Sorry, Carla! It ships today, tracking follows.", carla_copy
    )
    dan_operator, dan_copy = scene.operator_of(DAN, SHOP)
    await scene.say(dan_operator, SHOP, "We will send a replacement right away.", dan_copy)

    scene.title("Both operators are at their limit of 1: new clients wait in the queue")
    await scene.say(EVE, SHOP, "Can I change my delivery address?")
    await scene.say(FINN, APP, "The app crashes when I log in.")
    await scene.say(ADMIN, SHOP, "/queue")

    scene.title("Closing a contact frees a slot: the oldest queued client gets it at once")
    await scene.press(carla_operator, SHOP, scene.card_for(carla_operator, SHOP, CARLA))
    eve_operator, eve_copy = scene.operator_of(EVE, SHOP)
    await scene.say(eve_operator, SHOP, "Sure, which address should we use?", eve_copy)

    scene.title("Raising a limit drains the rest of the queue")
    await scene.say(ADMIN, SHOP, "/limit @ann_op 3")
    finn_operator, finn_copy = scene.operator_of(FINN, APP)
    await scene.say(finn_operator, APP, "Please update to version 2.3, that fixes it.", finn_copy)
    await scene.say(FINN, APP, "It works now, thanks!")
    await scene.say(finn_operator, APP, "/close", scene.copy_of(FINN, APP, finn_operator))

    scene.title("The admin's view of the day")
    await scene.say(ADMIN, SHOP, "/stats")


async def run_demo() -> int:
    """Run the scripted demo and print its transcript; returns the process exit code."""
    telegram = FakeTelegram()
    await telegram.start()
    for username, token in TOKENS.items():
        telegram.add_bot(token, username, username.replace("_", " ").title())
    with tempfile.TemporaryDirectory(prefix="switchboard-demo-") as workdir:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_tokens=",".join(TOKENS.values()),
            admin_ids=str(ADMIN.id),
            database_url=f"sqlite+aiosqlite:///{Path(workdir) / 'demo.db'}",
            telegram_api_url=telegram.base_url,
            poll_tokens="",
            webhook_url=None,
            http_host="127.0.0.1",
            http_port=0,
            reminder_minutes=0,
            auto_close_hours=0,
            queue_alert_minutes=0,
        )
        app = await create_app(settings, rng=random.Random(SEED), pacing=NO_PACING)
        polling = asyncio.create_task(run_polling(app))
        try:
            print(
                f"Switchboard demo: bots @{SHOP} and @{APP} on a local Bot API server; "
                f"admin {ADMIN.first_name}, operators {ANN.first_name} and {BOB.first_name}."
            )
            await telegram.wait_for(lambda: all(telegram.is_polling(bot) for bot in TOKENS))
            await _scenario(Scene(telegram, app))
        finally:
            await app.dispatcher.stop_polling()
            await polling
            await telegram.close()
    print("\nDemo finished.")
    return 0
