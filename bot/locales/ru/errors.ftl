# Почему запрос не выполнен; ничего не изменилось.

error-generic = Не получилось.
error-unknown-operator = Оператора { $ref } нет.
error-ambiguous-operator = Под именем { $ref } известны несколько операторов (id в Telegram: { $ids }); укажите id.
error-operator-exists = { $ref } уже оператор.
error-invalid-limit = Лимит должен быть целым числом от 0 до { $maximum }, а не { $value }.
error-weights-empty = Ничего не изменилось: укажите хотя бы одну пару &lt;оператор&gt;=&lt;вес&gt;.
error-weights-malformed = Ничего не изменилось: { $pair } — это не &lt;оператор&gt;=&lt;вес&gt;.
error-weights-range = Ничего не изменилось: вес { $ref } должен быть целым числом от 0 до { $maximum }.
error-weights-twice = Ничего не изменилось: { $ref } указан дважды.
error-invalid-operator-ref = { $ref } — не id в Telegram и не @username.
error-unknown-contact = Контакта #{ $contact_id } нет.
error-unknown-lead = Лида №{ $lead_id } нет.
error-invalid-days = Число дней должно быть целым числом от 1 до { $maximum }.
error-unknown-mode = Ничего не изменилось: режима { $mode } нет. Режимы: { $modes }.
error-contact-closed = Контакт #{ $contact_id } уже закрыт.
error-contact-changed = Контакт #{ $contact_id } только что назначил или закрыл кто-то другой; ничего не изменилось. Посмотрите ещё раз (/queue) и повторите, если нужно.
error-not-your-contact = Контакт #{ $contact_id } не Ваш.
error-operator-full = { $ref } не может его взять: отключён, на паузе, не запускал этот бот или достиг лимита.
error-operator-off-shift = { $ref } сейчас не на смене (смена <code>{ $shift }</code>): выберите того, кто на смене, или измените смену командой /shift.
error-transfer-to-self = Контакт #{ $contact_id } уже у Вас.
error-note-too-long = Ничего не изменилось: в примечании { $length } символов, а можно не больше { $limit }.
error-unknown-source = Бота { $ref } нет.
error-invalid-invite = Эта ссылка-приглашение недействительна или уже использована.
error-unknown-text = Ничего не изменилось: текста { $name } нет. Есть тексты: { $names }.
error-unknown-language = Ничего не изменилось: языка { $language } нет. Есть языки: { $languages }.
error-text-too-long = Ничего не изменилось: в тексте { $length } символов, а Telegram допускает не больше { $limit }.
error-internal = Извините, у нас что-то пошло не так. Пожалуйста, попробуйте ещё раз.
error-invalid-template-name = Ничего не изменилось: { $name } не годится как название шаблона (от 1 до 32 символов a-z, 0-9 и _).
error-unknown-template = Шаблона { $name } здесь нет. Есть шаблоны: { $names }
error-no-templates = У этого бота ещё нет шаблонов; администратор добавляет их командой /template add.
error-template-too-long = Не отправлено: в шаблоне { $name } получилось бы { $length } символов, а Telegram допускает не больше { $limit }.
error-template-no-contact = Отправьте /t в ответ на сообщение того контакта, которому он предназначен.
error-template-gone = Этот шаблон тем временем удалён; /t покажет те, что есть сейчас.
error-ban-form-lead = Контакт #{ $contact_id } пришёл через форму: заблокировать можно только клиентов Telegram.
error-ban-staff = Клиент контакта #{ $contact_id } — оператор или администратор, его не блокируют.
error-already-banned = Клиент контакта #{ $contact_id } уже заблокирован.
error-not-banned = { $telegram_id } не заблокирован.
error-invalid-topic-name = Ничего не изменилось: { $name } не годится как название темы (от 1 до 32 символов a-z, 0-9, _ и -).
error-invalid-topic-title = Ничего не изменилось: заголовок темы — от 1 до { $limit } символов (в этом { $length }).
error-unknown-topic = Ничего не изменилось: темы { $name } здесь нет. Есть темы: { $names }
error-no-topics = У этого бота нет тем; администратор добавляет их командой /topic add.
error-form-without-topics = Источник { $ref } — форма: у форм нет тем (их негде предложить клиенту).
error-topic-gone = Эта тема тем временем удалена; просто напишите свой вопрос.
