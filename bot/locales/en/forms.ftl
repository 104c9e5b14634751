# Form sources (a web form, a landing page, a phone line): their cards and refusals.

operator-form-card =
    📝 <b>New contact #{ $contact_id }</b> from the form @{ $source }
    Client: { $client }
    Phone: { $phone }
    Email: { $email }
    Form's id: { $external_id }
    { $history }
    The client wrote through a form: reach them by phone or email; /close { $contact_id } ends it.
operator-form-message = 📝 Contact #{ $contact_id } (form) wrote again:
operator-transfer-done-form = Contact #{ $contact_id } is now with { $operator }.
operator-reply-form = Contact #{ $contact_id } came from a form, which has no chat to answer in: your message was not sent. Reach the client by the phone or email on its card; /close { $contact_id } ends it.
error-not-a-form-source = Source { $ref } is a bot: its contacts come through Telegram.
error-not-a-bot = { $ref } is no bot's source, so it cannot announce a form's contacts.
error-form-source-exists = A source named { $name } exists already.
error-lead-unidentified = Name the client: give at least one of external_id, phone, email, telegram_id.
error-idempotency-key-reused = The Idempotency-Key { $key } was used with another request.
