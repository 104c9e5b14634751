"""Media: simulated user media parses in aiogram; bots re-send, upload and download files."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InputMediaPhoto, InputMediaVideo

from fake_telegram import MEDIA_KINDS
from tests.support.fake_bots import ANN, BOB, OPERATOR_TOKEN


@pytest.mark.parametrize("kind", MEDIA_KINDS)
async def test_every_media_kind_parses_with_its_content_type(fake, bot, kind):
    sent = await fake.send_media("lead_bot", ANN, kind)

    (update,) = await bot.get_updates()

    assert update.message.content_type == kind
    assert update.message.message_id == sent["message_id"]


async def test_contact_uses_the_users_own_phone(fake, bot):
    await fake.send_media("lead_bot", ANN, "contact")

    contact = (await bot.get_updates())[0].message.contact

    assert (contact.user_id, contact.phone_number, contact.last_name) == (
        ANN.id,
        "+15550001001",
        "Lee",
    )


async def test_captions_albums_and_replies(fake, bot):
    first = await fake.send_media("lead_bot", ANN, "photo", caption="look", media_group_id="g1")
    await fake.send_media("lead_bot", ANN, "video", media_group_id="g1")
    await fake.send_media("lead_bot", ANN, "document", reply_to=first["message_id"])

    photo, video, document = (update.message for update in await bot.get_updates())

    assert photo.caption == "look"
    assert photo.media_group_id == video.media_group_id == "g1"
    assert len(photo.photo) == 3
    assert document.reply_to_message.message_id == first["message_id"]
    with pytest.raises(ValueError, match="cannot have a caption"):
        await fake.send_media("lead_bot", ANN, "sticker", caption="no")
    with pytest.raises(ValueError, match="media group"):
        await fake.send_media("lead_bot", ANN, "voice", media_group_id="g2")
    with pytest.raises(ValueError, match="unknown media kind"):
        await fake.send_media("lead_bot", ANN, "hologram")


async def test_bot_resends_a_users_file_by_file_id(fake, bot):
    await fake.send_media("lead_bot", ANN, "voice")
    await fake.send_message("lead_bot", BOB, "operator")
    voice = (await bot.get_updates())[0].message.voice

    message = await bot.send_voice(
        BOB.id, voice.file_id, caption="<b>from Ann</b>", parse_mode="HTML"
    )

    assert message.voice.file_id == voice.file_id
    (item,) = fake.received("lead_bot", BOB.id)
    assert (item.method, item.content_type, item.plain_text) == ("sendVoice", "voice", "from Ann")
    with pytest.raises(TelegramBadRequest, match="type of file mismatch"):
        await bot.send_photo(BOB.id, voice.file_id)


async def test_file_ids_are_bot_scoped(fake, bot, make_bot):
    await fake.send_media("lead_bot", ANN, "photo")
    await fake.send_message("operator_bot", BOB, "operator")
    photo = (await bot.get_updates())[0].message.photo[-1]
    operator = make_bot(fake, OPERATOR_TOKEN)

    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await operator.send_photo(BOB.id, photo.file_id)


async def test_upload_get_file_and_download(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")

    message = await bot.send_document(
        ANN.id, BufferedInputFile(b"%PDF-1.4 fake", "invoice.pdf"), caption="Invoice"
    )
    file = await bot.get_file(message.document.file_id)
    downloaded = await bot.download_file(file.file_path)

    assert message.document.file_name == "invoice.pdf"
    assert message.document.mime_type == "application/pdf"
    assert file.file_path.endswith(".pdf")
    assert downloaded.read() == b"%PDF-1.4 fake"
    assert fake.received("lead_bot", ANN.id)[0].text == "Invoice"


async def test_a_sent_document_can_be_read_back(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")

    message = await bot.send_document(
        ANN.id, BufferedInputFile("Привет, Ann".encode(), "notes.txt"), caption="Notes"
    )

    (item,) = fake.received("lead_bot", ANN.id)
    assert (item.method, item.content_type) == ("sendDocument", "document")
    assert fake.document("lead_bot", ANN.id, message.message_id) == (
        "notes.txt",
        "Привет, Ann".encode(),
    )


async def test_a_sent_photo_can_be_read_back(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")

    message = await bot.send_photo(ANN.id, BufferedInputFile(b"\x89PNG picture", "chart.png"))

    assert fake.photo("lead_bot", ANN.id, message.message_id) == b"\x89PNG picture"


async def test_simulated_files_can_be_downloaded(fake, bot):
    await fake.send_media("lead_bot", ANN, "audio")
    audio = (await bot.get_updates())[0].message.audio

    file = await bot.get_file(audio.file_id)
    content = (await bot.download_file(file.file_path)).read()

    assert len(content) == audio.file_size == file.file_size


async def test_send_media_group(fake, bot):
    await fake.send_media("lead_bot", ANN, "photo")
    photo = (await bot.get_updates())[0].message.photo[-1].file_id

    messages = await bot.send_media_group(
        ANN.id,
        [
            InputMediaPhoto(media=photo, caption="<u>one</u>", parse_mode="HTML"),
            InputMediaVideo(media=BufferedInputFile(b"\x00" * 10, "clip.mp4")),
        ],
    )

    assert [message.content_type for message in messages] == ["photo", "video"]
    received = fake.received("lead_bot", ANN.id)
    assert [item.method for item in received] == ["sendMediaGroup", "sendMediaGroup"]
    assert received[0].media_group_id == received[1].media_group_id is not None
    assert received[0].plain_text == "one"
    with pytest.raises(TelegramBadRequest, match="2-10 items"):
        await bot.send_media_group(ANN.id, [InputMediaPhoto(media=photo)])
