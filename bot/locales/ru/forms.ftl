# Источники-формы (форма на сайте, лендинг, телефонная линия): их карточки и отказы.

operator-form-card =
    📝 <b>Новое обращение #{ $contact_id }</b> из формы @{ $source }
    Клиент: { $client }
    Телефон: { $phone }
    Email: { $email }
    Id в форме: { $external_id }
    { $history }
    Клиент написал через форму: свяжитесь с ним по телефону или email; /close { $contact_id } завершает обращение.
operator-form-message = 📝 Обращение #{ $contact_id } (форма): клиент написал снова:
operator-transfer-done-form = Контакт #{ $contact_id } передан оператору { $operator }.
operator-reply-form = Обращение #{ $contact_id } пришло из формы, в ней нет чата для ответа: Ваше сообщение не отправлено. Свяжитесь с клиентом по телефону или email из карточки; /close { $contact_id } завершает обращение.
error-not-a-form-source = Источник { $ref } — бот: его обращения приходят через Telegram.
error-not-a-bot = { $ref } — не источник-бот, он не может сообщать об обращениях из формы.
error-form-source-exists = Источник с именем { $name } уже есть.
error-lead-unidentified = Укажите клиента: хотя бы одно из external_id, phone, email, telegram_id.
error-idempotency-key-reused = Ключ Idempotency-Key { $key } уже использован с другим запросом.
