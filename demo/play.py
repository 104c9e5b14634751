"""``make demo``: Switchboard at work without tokens or network.

Starts the fake Bot API server with two bots, a temporary SQLite database and the real
application (long polling over HTTP, as in production), then plays a short day at the help
desk and prints what every person sees in their Telegram chats.
"""

import asyncio
import dataclasses
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
# What the people of the story say, and what the story says between, by language; the bots'
# own texts come from their catalogs, in the language of each person's Telegram.
SCRIPT = {
    "en": {
        "intro": "Switchboard demo: bots @{shop} and @{app} on a local Bot API server; "
        "admin {admin}, operators {ann} and {bob}.",
        "add": "The admin adds two operators; each opens both bots",
        "weights": "Ann should get three times as many shop contacts as Bob",
        "write": "Clients write; each gets an operator, who sees a card carrying the message",
        "carla": "Hi! My order #1042 has not arrived yet.",
        "dan": "The parcel came damaged, see the photo.",
        "answer": "The operators answer with Telegram replies; clients never learn who they are",
        "to_carla": "Sorry, Carla! It ships today, tracking follows.",
        "to_dan": "We will send a replacement right away.",
        "queue": "Both operators are at their limit of 1: new clients wait in the queue",
        "eve": "Can I change my delivery address?",
        "finn": "The app crashes when I log in.",
        "close": "Closing a contact frees a slot: the oldest queued client gets it at once",
        "to_eve": "Sure, which address should we use?",
        "limit": "Raising a limit drains the rest of the queue",
        "to_finn": "Please update to version 2.3, that fixes it.",
        "thanks": "It works now, thanks!",
        "stats": "The admin's view of the day",
        "end": "Demo finished.",
        "replying": " (replying)",
        "presses": "{user} presses “{button}” in @{bot}",
        "wrote": "({sender} wrote)",
        "sees": "{person} sees in @{bot}:",
    },
    "ru": {
        "intro": "Демо Switchboard: боты @{shop} и @{app} на локальном сервере Bot API; "
        "администратор {admin}, операторы {ann} и {bob}.",
        "add": "Администратор добавляет двух операторов; каждый открывает оба бота",
        "weights": "Ann должна получать втрое больше контактов магазина, чем Bob",
        "write": "Клиенты пишут; каждому достаётся оператор, который видит карточку с сообщением",
        "carla": "Здравствуйте! Мой заказ №1042 ещё не пришёл.",
        "dan": "Посылка пришла повреждённой, посмотрите фото.",
        "answer": "Операторы отвечают ответами в Telegram; клиенты не узнают, кто они",
        "to_carla": "Простите, Carla! Заказ уедет сегодня, трек-номер пришлём.",
        "to_dan": "Сейчас же отправим замену.",
        "queue": "Оба оператора на пределе (лимит 1): новые клиенты ждут в очереди",
        "eve": "Можно изменить адрес доставки?",
        "finn": "Приложение падает при входе.",
        "close": "Закрытый контакт освобождает место: его сразу получает самый давний в очереди",
        "to_eve": "Конечно, какой адрес указать?",
        "limit": "Больший лимит разбирает остаток очереди",
        "to_finn": "Обновитесь, пожалуйста, до версии 2.3, это исправлено.",
        "thanks": "Теперь работает, спасибо!",
        "stats": "День глазами администратора",
        "end": "Демо закончено.",
        "replying": " (ответом)",
        "presses": "{user} нажимает «{button}» в @{bot}",
        "wrote": "(пишет {sender})",
        "sees": "{person} видит в @{bot}:",
    },
}
# The demo has no Telegram limits to respect; pacing would only make it slower.
NO_PACING = Pacing(bot_rate=1000, bot_burst=1000, chat_rate=1000, chat_burst=1000)
SEED = 2026


class Scene:
    """Drives users through the fake Telegram and prints what each of them receives."""

    def __init__(self, telegram: FakeTelegram, app: App, language: str) -> None:
        self.telegram = telegram
        self.app = app
        self.lines = SCRIPT[language]
        self.language = language
        self.shown: dict[tuple[str, int], int] = {}  # (bot, chat) → messages printed so far

    @staticmethod
    def title(text: str) -> None:
        """Start a new part of the story."""
        print(f"\n━━ {text}")

    def speaking(self, user: User) -> User:
        """``user`` with the demo's language as their Telegram language."""
        return dataclasses.replace(user, language_code=self.language)

    def line(self, name: str) -> str:
        """A line of the script in the demo's language."""
        return self.lines[name]

    async def say(self, user: User, bot: str, text: str, reply_to: Received | None = None) -> None:
        """``user`` writes ``text`` to ``bot`` (a Telegram reply to ``reply_to`` if given)."""
        replying = self.line("replying") if reply_to else ""
        print(f"\n{user.first_name} → @{bot}{replying}: {text}")
        await self.telegram.send_message(
            bot, self.speaking(user), text, reply_to=reply_to.message_id if reply_to else None
        )
        await self.settle()

    async def send_photo(self, user: User, bot: str, caption: str) -> None:
        """``user`` sends a photo with a caption."""
        print(f"\n{user.first_name} → @{bot}: [photo] {caption}")
        await self.telegram.send_media(bot, self.speaking(user), "photo", caption=caption)
        await self.settle()

    async def press(self, user: User, bot: str, message: Received) -> None:
        """``user`` presses the (first) button under ``message``."""
        button = (message.reply_markup or {})["inline_keyboard"][0][0]
        pressed = self.line("presses").format(user=user.first_name, button=button["text"], bot=bot)
        print(f"\n{pressed}")
        await self.telegram.press_button(
            bot, self.speaking(user), message.message_id, button["callback_data"]
        )
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
                    print(_describe(person, bot, message, self.lines))
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


def _describe(person: User, bot: str, message: Received, lines: dict[str, str]) -> str:
    """One received message as a transcript line."""
    text = message.plain_text or ""
    if message.content_type != "text":
        text = f"[{message.content_type}] {text}".rstrip()
    if message.copied_from is not None and person in OPERATORS:
        sender = next((p.first_name for p in PEOPLE if p.id == message.copied_from[0]), "?")
        text = f"{lines['wrote'].format(sender=sender)} {text}"
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        text += "\n" + "  ".join(f"[{button['text']}]" for button in row)
    first, *rest = text.splitlines() or [""]
    sees = lines["sees"].format(person=person.first_name, bot=bot)
    shown = [f"    {sees} {first}"]
    shown += [textwrap.indent(line, " " * 8) for line in rest]
    return "\n".join(shown)


async def _scenario(scene: Scene) -> None:
    line = scene.line
    scene.title(line("add"))
    await scene.say(ADMIN, SHOP, "/addop 101 1")
    await scene.say(ADMIN, SHOP, "/addop 102 1")
    for operator in OPERATORS:
        for bot in TOKENS:
            await scene.say(operator, bot, "/start")

    scene.title(line("weights"))
    await scene.say(ADMIN, SHOP, "/weights @ann_op=3 @bob_op=1")

    scene.title(line("write"))
    await scene.say(CARLA, SHOP, line("carla"))
    await scene.send_photo(DAN, SHOP, line("dan"))

    scene.title(line("answer"))
    carla_operator, carla_copy = scene.operator_of(CARLA, SHOP)
    await scene.say(carla_operator, SHOP, line("to_carla"), carla_copy)
    dan_operator, dan_copy = scene.operator_of(DAN, SHOP)
    await scene.say(dan_operator, SHOP, line("to_dan"), dan_copy)

    scene.title(line("queue"))
    await scene.say(EVE, SHOP, line("eve"))
    await scene.say(FINN, APP, line("finn"))
    await scene.say(ADMIN, SHOP, "/queue")

    scene.title(line("close"))
    await scene.press(carla_operator, SHOP, scene.card_for(carla_operator, SHOP, CARLA))
    eve_operator, eve_copy = scene.operator_of(EVE, SHOP)
    await scene.say(eve_operator, SHOP, line("to_eve"), eve_copy)

    scene.title(line("limit"))
    await scene.say(ADMIN, SHOP, "/limit @ann_op 3")
    finn_operator, finn_copy = scene.operator_of(FINN, APP)
    await scene.say(finn_operator, APP, line("to_finn"), finn_copy)
    await scene.say(FINN, APP, line("thanks"))
    await scene.say(finn_operator, APP, "/close", scene.copy_of(FINN, APP, finn_operator))

    scene.title(line("stats"))
    await scene.say(ADMIN, SHOP, "/stats")


async def run_demo(language: str = "en") -> int:
    """Run the scripted demo in ``language`` (every person's Telegram language, and the
    desk's default) and print its transcript; returns the process exit code."""
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
            default_language=language,
        )
        app = await create_app(settings, rng=random.Random(SEED), pacing=NO_PACING)
        polling = asyncio.create_task(run_polling(app))
        try:
            lines = SCRIPT[language]
            names = {"admin": ADMIN.first_name, "ann": ANN.first_name, "bob": BOB.first_name}
            print(lines["intro"].format(shop=SHOP, app=APP, **names))
            await telegram.wait_for(lambda: all(telegram.is_polling(bot) for bot in TOKENS))
            await _scenario(Scene(telegram, app, language))
        finally:
            await app.dispatcher.stop_polling()
            await polling
            await telegram.close()
    print("\n" + SCRIPT[language]["end"])
    return 0
