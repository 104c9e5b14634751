"""LanguageService and TextService: choices stick to every record a person has; bad names,
languages and lengths are refused and change nothing."""

import random

import pytest
from sqlalchemy import select

from db.models import AdminLanguage, Lead, Operator
from db.repositories import LeadProfile
from services.admin import AdminService
from services.errors import TextTooLong, UnknownLanguage, UnknownText
from services.languages import LanguageService
from services.texts import TEXT_LIMIT, TextService

LANGUAGES = ("en", "ru")
ANN = LeadProfile(telegram_id=42, first_name="Ann", language="de")


@pytest.fixture
def languages(session_factory):
    return lambda: LanguageService(session_factory(), random.Random(1))


@pytest.fixture
def texts(session_factory):
    return lambda: TextService(session_factory(), random.Random(1))


async def test_a_client_who_never_wrote_becomes_a_lead_with_the_choice(languages, session_factory):
    await languages().choose(ANN, "ru", LANGUAGES, is_admin=False)
    async with session_factory() as session:
        lead = (await session.scalars(select(Lead))).one()
    assert (lead.telegram_id, lead.chosen_language, lead.preferred_language) == (42, "ru", "ru")
    assert await languages().chosen(42) == "ru"


async def test_an_operators_choice_reaches_their_record_and_their_next_roles(
    languages, session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source])
    profile = LeadProfile(telegram_id=operator.telegram_id, first_name="Op")
    await languages().choose(profile, "ru", LANGUAGES, is_admin=True)
    async with session_factory() as session:
        stored = await session.get(Operator, operator.id)
        admin = await session.get(AdminLanguage, operator.telegram_id)
        leads = (await session.scalars(select(Lead))).all()
    assert stored.preferred_language == "ru" and admin.preferred_language == "ru"
    assert leads == []  # known already: no lead made up for them

    # A client who chose a language and is then made an operator keeps it.
    await languages().choose(ANN, "ru", LANGUAGES, is_admin=False)
    await AdminService(session_factory(), random.Random(1)).add_operator("42", 3)
    async with session_factory() as session:
        made = (await session.scalars(select(Operator).where(Operator.telegram_id == 42))).one()
    assert made.preferred_language == "ru"


async def test_an_unknown_language_is_refused(languages, session_factory):
    with pytest.raises(UnknownLanguage) as refused:
        await languages().choose(ANN, "xx", LANGUAGES, is_admin=False)
    assert refused.value.params == {"language": "xx", "languages": "en, ru"}
    assert await languages().chosen(42) is None


async def test_texts_are_per_bot_and_language(texts, add_source):
    shop, app = await add_source(), await add_source()
    await texts().set_text(shop.id, "greeting", "ru", LANGUAGES, "<b>Привет</b>", 6)
    assert await texts().custom(shop.id, "greeting", "ru") == "<b>Привет</b>"
    assert await texts().custom(shop.id, "greeting", "en") is None
    assert await texts().custom(app.id, "greeting", "ru") is None
    await texts().set_text(shop.id, "greeting", "ru", LANGUAGES, "Здравствуйте", 12)
    assert await texts().of_source(shop.id) == {("greeting", "ru"): "Здравствуйте"}
    await texts().set_text(shop.id, "greeting", "ru", LANGUAGES, None)
    assert await texts().of_source(shop.id) == {}


@pytest.mark.parametrize(
    ("name", "language", "length", "error"),
    [
        ("welcome", "ru", 5, UnknownText),
        ("greeting", "de", 5, UnknownLanguage),
        ("greeting", "ru", TEXT_LIMIT + 1, TextTooLong),
    ],
)
async def test_bad_texts_change_nothing(texts, add_source, name, language, length, error):
    shop = await add_source()
    with pytest.raises(error):
        await texts().set_text(shop.id, name, language, LANGUAGES, "x" * length, length)
    assert await texts().of_source(shop.id) == {}
