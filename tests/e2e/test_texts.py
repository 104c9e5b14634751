"""The catalogs: every text in every language, with the same placeholders, valid Telegram HTML
whatever values it shows, plural forms as a native speaker writes them, and no user-facing
literal left in the code."""

import ast
import pathlib
import re
from datetime import UTC, datetime

import pytest
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent_ast
from fluent.syntax.visitor import Visitor

from bot.handlers.admin import NO_ARGUMENTS
from bot.menus import ADMIN_COMMANDS, CLIENT_COMMANDS, OPERATOR_COMMANDS
from bot.render import MESSAGE_LIMIT, paginate, telegram_length
from bot.texts import LOCALES, SOURCE_LANGUAGE, Languages, catalogs, supported, t
from fake_telegram.tg_html import parse_html

HOSTILE = "<b>&amp; </i>"
ROOT = pathlib.Path(__file__).resolve().parents[2]
LANGUAGES = sorted(p.name for p in LOCALES.iterdir() if p.is_dir())


class _Variables(Visitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_VariableReference(self, node: fluent_ast.VariableReference) -> None:  # noqa: N802
        self.names.add(node.id.name)


def _messages(language: str) -> dict[str, set[str]]:
    """Every message of a language's catalog, with the variables it uses."""
    found: dict[str, set[str]] = {}
    for file in sorted((LOCALES / language).glob("*.ftl")):
        resource = FluentParser().parse(file.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, fluent_ast.Junk)]
        assert not junk, f"{file}: {junk[0].annotations}"
        for entry in resource.body:
            if isinstance(entry, fluent_ast.Message):
                assert entry.id.name not in found, f"{entry.id.name} twice in {language}"
                visitor = _Variables()
                visitor.visit(entry)
                found[entry.id.name] = visitor.names
    return found


CATALOG = {language: _messages(language) for language in LANGUAGES}


def test_there_are_english_and_russian():
    assert {"en", "ru"} <= set(LANGUAGES) == set(catalogs().languages)


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE])
def test_every_language_has_every_text_with_the_same_placeholders(language):
    source, other = CATALOG[SOURCE_LANGUAGE], CATALOG[language]
    assert sorted(set(source) - set(other)) == [], "missing"
    assert sorted(set(other) - set(source)) == [], "unknown to English"
    differing = {key: (source[key], other[key]) for key in source if source[key] != other[key]}
    assert differing == {}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", sorted(CATALOG[SOURCE_LANGUAGE]))
def test_text_is_valid_html_and_shows_values_as_typed(language, key):
    variables = CATALOG[language][key] - {"moment"}  # a date, not text
    params: dict[str, object] = dict.fromkeys(variables, HOSTILE)
    if "moment" in CATALOG[language][key]:
        params["moment"] = datetime(2026, 12, 2, 9, 5, tzinfo=UTC)
    shown, _ = parse_html(t(key, language, **params))
    # Every value is shown as typed, but "custom", which only picks a wording.
    assert (HOSTILE in shown) == bool(variables - {"custom"})


# The words for n contacts, as a native speaker writes them.
CONTACTS = {
    "en": {
        1: "1 contact",
        2: "2 contacts",
        5: "5 contacts",
        11: "11 contacts",
        21: "21 contacts",
        22: "22 contacts",
    },
    "ru": {
        1: "1 контакт",
        2: "2 контакта",
        5: "5 контактов",
        11: "11 контактов",
        21: "21 контакт",
        22: "22 контакта",
    },
}


@pytest.mark.parametrize("language", sorted(CONTACTS))
@pytest.mark.parametrize("count", [1, 2, 5, 11, 21, 22])
@pytest.mark.parametrize("key", ["admin-queue-head", "admin-stats-source", "admin-sources-line"])
def test_plural_forms(language, count, key):
    text = t(key, language, total=count, source="b", title="B", open=0, queued=0, operators=1)
    assert re.search(rf"(?<!\d){CONTACTS[language][count]}(?!\w)", text)


@pytest.mark.parametrize(
    ("language", "minutes", "hours", "waited"),
    [("en", 5, 0, "5 min"), ("ru", 5, 0, "5 мин"), ("ru", 3, 2, "2 ч 3 мин")],
)
def test_durations(language, minutes, hours, waited):
    key = "duration-hours" if hours else "duration-minutes"
    assert t(key, language, hours=hours, minutes=minutes) == waited


@pytest.mark.parametrize(
    ("language", "ratings", "rating", "shown"),
    [
        ("en", 0, 0, "not rated yet"),
        ("en", 1, 4, "rated 4 of 5 (1 rating)"),
        ("en", 3, 13 / 3, "rated 4.3 of 5 (3 ratings)"),
        ("ru", 0, 0, "оценок пока нет"),
        ("ru", 2, 4.5, "средняя оценка 4,5 из 5 (2 оценки)"),
        ("ru", 21, 5, "средняя оценка 5 из 5 (21 оценка)"),
        ("ru", 25, 3.24, "средняя оценка 3,2 из 5 (25 оценок)"),
    ],
)
def test_average_ratings_in_the_language_s_numbers(language, ratings, rating, shown):
    text = t(
        "admin-stats-performance",
        language,
        contacts=ratings,
        closed=ratings,
        first_reply="—",
        handling="—",
        ratings=ratings,
        rating=rating,
    )
    assert text.endswith(shown)


def test_ids_are_shown_without_thousands_separators():
    assert t("operator-sent", "ru", contact_id=1234567) == "Отправлено в контакт #1234567."


@pytest.mark.parametrize(
    ("preferences", "picked"),
    [
        (("ru",), "ru"),
        (("ru-RU",), "ru"),
        (("en-GB",), "en"),
        ((None, "de"), "ru"),  # nothing we have: the default
        (("en", "ru"), "en"),  # a choice wins over Telegram's
        ((), "ru"),
    ],
)
def test_who_reads_which_language(preferences, picked):
    assert Languages(default="ru").pick(*preferences) == picked
    assert supported("xx") is None


def test_every_command_has_a_menu_entry_and_usage():
    for name in CLIENT_COMMANDS + OPERATOR_COMMANDS + ADMIN_COMMANDS:
        for language in LANGUAGES:
            assert f"menu-{name}" in CATALOG[language], name
    takes_arguments = set(ADMIN_COMMANDS) - set(NO_ARGUMENTS)
    for name in takes_arguments:
        assert f"usage-{name}" in CATALOG[SOURCE_LANGUAGE], name


# Code that talks to Telegram users: every text it shows comes from the catalogs.
USER_FACING = [
    *sorted((ROOT / "bot" / "handlers").glob("*.py")),
    *(ROOT / "bot" / name for name in ("render.py", "menus.py", "content.py", "transport.py")),
]
# Two words in a row: a sentence, not a key, a command or a format.
WORDS = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")


def _literals(path: pathlib.Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # What goes to the log, or into an exception (the log's too), is for whoever runs the desk.
    logged = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "log"
        )
        for inner in ast.walk(node)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings | logged
        and WORDS.search(node.value)
    ]


@pytest.mark.parametrize("path", USER_FACING, ids=lambda p: p.name)
def test_no_user_facing_literal_outside_the_catalogs(path):
    assert _literals(path) == []


@pytest.mark.parametrize("path", USER_FACING, ids=lambda p: p.name)
def test_every_key_the_code_names_is_in_the_catalogs(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    keys = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"t", "plain", "_label"}
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    keys |= {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(
            r"(client|operator|admin|error|button|usage|menu|help)-[a-z-]+", node.value
        )
    }
    assert sorted(keys - set(CATALOG[SOURCE_LANGUAGE])) == []


@pytest.mark.parametrize(
    "lines",
    [
        [f"#{n} Client 😀😀😀 <b>&amp;" * 5 for n in range(400)],  # many lines, emoji in each
        ["😀" * 5_000, "after it"],  # one line longer than a message
    ],
)
def test_pages_fit_telegram_which_counts_most_emoji_twice(lines):
    pages = paginate(lines)
    assert all(telegram_length(page) <= MESSAGE_LIMIT for page in pages)
    # Nothing lost or reordered: pages break between lines, or inside a line too long for one.
    assert "".join(pages).replace("\n", "") == "".join(lines)
