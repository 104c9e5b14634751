# Что читают операторы: карточка нового контакта, ответы на команды и уведомления.

operator-card =
    📨 <b>Новый контакт #{ $contact_id }</b> через @{ $source }
    Клиент: { $client }
    { $context }
    { $history }
    Ответьте на любое сообщение этого контакта, чтобы написать клиенту; /close { $contact_id } завершает контакт.
operator-card-history-none = Первое обращение этого клиента.
operator-card-history-head = Прошлые обращения:
operator-card-history-item = {"  "}#{ $id } через @{ $source }, { $status }, { $created }: /history { $id }
operator-contact-closed = ✅ Контакт #{ $contact_id } закрыт.
operator-contact-closed-by = ✅ Контакт #{ $contact_id } закрыт { $by ->
    [admin] администратором
    [client] клиентом
    [system] автоматически
    [banned], потому что клиент заблокирован
   *[other] ({ $by })
}.
operator-transferred = ↪️ { $by } передаёт Вам контакт #{ $contact_id }. Примечание: { $note }
operator-transferred-no-note = ↪️ { $by } передаёт Вам контакт #{ $contact_id }.
operator-transfer-done = Контакт #{ $contact_id } передан оператору { $operator }; клиенту сообщено, что разговор продолжит другой оператор.
operator-transfer-usage = Использование: /transfer &lt;номер контакта&gt; &lt;оператор&gt; [примечание для коллеги]
operator-contact-taken-away = ↪️ Контакт #{ $contact_id } передан другому оператору.
operator-reminder = ⏰ Контакт #{ $contact_id }: клиент ждёт Вашего первого ответа уже { $minutes } мин.
operator-client-edited = ✏️ Контакт #{ $contact_id }: клиент изменил сообщение; новая версия — следующим сообщением.
operator-sent = Отправлено в контакт #{ $contact_id }.
operator-already-sent = Это сообщение уже отправлено в контакт #{ $contact_id }.
operator-unsupported = Telegram не позволяет ботам пересылать такие сообщения; оно не отправлено.
operator-ambiguous = У Вас здесь несколько открытых контактов. Для какого это сообщение?
operator-ambiguous-more = Показаны только { $shown } с последней активностью; ещё { $hidden ->
    [one] { $hidden } открыт
   *[other] { $hidden } открыто
}. Чтобы ответить в один из них, ответьте на одно из его сообщений.
operator-choice = #{ $contact_id } { $client }
operator-no-contact = У Вас нет открытого контакта в этом боте, куда это можно отправить.
operator-reply-closed = Контакт #{ $contact_id } закрыт; Ваше сообщение не отправлено.
operator-reply-taken-away = Контакт #{ $contact_id } передан другому оператору; Ваше сообщение не отправлено.
operator-edit-not-relayed = ✏️ Правки фото, файлов и других вложений не доходят до клиента: в контакте #{ $contact_id } осталось сообщение в первоначальном виде. Пожалуйста, отправьте исправление новым сообщением.
operator-contacts-none = У Вас нет открытых контактов.
operator-contacts-head = Ваши открытые контакты ({ $count }):
operator-contacts-item = #{ $contact_id } через @{ $source }: { $client }, { $status }, { $created }
operator-deactivated = ⏸ Администратор отключил Вас: новых контактов не будет, пока администратор снова Вас не включит. Открытые контакты остаются у Вас.
operator-activated = ▶️ Администратор включил Вас: Вы снова получаете новые контакты.
operator-activated-paused = Администратор включил Вас, но Вы на паузе: отправьте /resume, чтобы получать новые контакты.
operator-limit-changed = Администратор установил Ваш лимит открытых контактов: { $limit } (был { $previous }).
operator-paused = ⏸ Пауза: новых контактов не будет. Открытые контакты остаются у Вас.
operator-resumed = ▶️ Пауза снята: Вы снова получаете новые контакты.
operator-resumed-inactive = ▶️ Пауза снята, но администратор отключил Вас: новых контактов не будет, пока администратор снова Вас не включит. Открытые контакты остаются у Вас.
operator-me =
    { $name }: { $state }, открыто { $open } из { $limit }.
    Боты: { $links }
operator-state-active = активен
operator-state-paused = на паузе
operator-state-inactive = отключён
operator-state-inactive-paused = отключён и на паузе
operator-welcome = Добро пожаловать, { $name }! Теперь Вы оператор (лимит { $limit }). Откройте каждый бот, в котором будете отвечать, и нажмите там «Старт».
operator-started = Здесь Вы будете получать контакты из @{ $source }.
operator-close-usage = Как пользоваться: /close &lt;номер контакта&gt; или ответьте /close на сообщение.
operator-only = Эта команда — для операторов.
button-close = ✅ Закрыть #{ $contact_id }
button-stale = Эта кнопка больше не действует.
button-transfer = ↪️ Передать
operator-transfer-choose = Контакт #{ $contact_id }: кому передать? (Коллеги, которые могут взять его сейчас.)
operator-transfer-choice = { $name }
operator-transfer-nobody = Сейчас никто из коллег не может взять контакт #{ $contact_id } (все заняты, на паузе или не запускали этот бот); он остаётся у Вас.
operator-template-choose = Контакт #{ $contact_id }: какой шаблон отправить?
operator-template-choice = { $name }
operator-template-sent = Шаблон отправлен в контакт #{ $contact_id }.
operator-template-already-sent = По этой команде /t шаблон в контакт #{ $contact_id } уже отправлен.
operator-history-usage = Использование: /history &lt;номер контакта&gt;
transcript-head =
    Контакт #{ $contact_id } через @{ $source }
    Клиент: { $client }
    Оператор: { $operator }
    Состояние: { $status }
    Открыт: { $opened }
    Закрыт: { $closed }
transcript-caption = Переписка контакта #{ $contact_id }: { $client }
transcript-client = Клиент
transcript-operator = Оператор { $name }
transcript-media = [{ $kind ->
    [photo] фото
    [video] видео
    [animation] анимация
    [audio] аудио
    [document] файл
    [voice] голосовое сообщение
    [video_note] видеосообщение
    [sticker] стикер
    [location] местоположение
    [contact] контакт
    [poll] опрос
   *[other] { $kind }
}]
transcript-cut = [Остальная переписка не помещается в один файл.]
operator-template-edit-not-relayed = ✏️ Контакт #{ $contact_id } получил текст шаблона, а не Вашу команду: правка команды там ничего не меняет. Чтобы отправить другой шаблон, снова отправьте /t.
operator-card-context = ℹ️ { $username } · язык { $language_code } · телефон { $phone }{ $earlier ->
    [0] {""}
    [one] {" · "}{ $earlier } прошлое обращение, последнее { $outcome }
    [few] {" · "}{ $earlier } прошлых обращения, последнее { $outcome }
   *[other] {" · "}{ $earlier } прошлых обращений, последнее { $outcome }
}
operator-card-outcome = закрыто { $how ->
    [operator] оператором
    [client] клиентом
    [admin] администратором
    [system] автоматически
    [idle] после долгого молчания
    [banned] при блокировке клиента
   *[other] ({ $how })
}
operator-client-slowed = ⏳ Клиент контакта #{ $contact_id } присылает больше { $per_minute } сообщений в минуту. Остальные сообщения этой минуты сохранены, но не пересылаются по одному: /history { $contact_id } покажет все.
operator-ban-usage = Использование: /ban &lt;номер контакта&gt;
operator-ban-confirm = Заблокировать клиента контакта #{ $contact_id }? Его открытые контакты закроются без сообщения ему, и всё, что он пришлёт потом, никуда не попадёт. Снять блокировку может только администратор (/unban).
operator-ban-cancelled = Не заблокирован: контакт #{ $contact_id } остался как был.
operator-banned = 🚫 { $client } (id { $telegram_id }) заблокирован. { $count ->
    [0] Открытых контактов у него не было.
    [one] Закрыт: { $closed }.
    [few] Закрыто { $count } контакта: { $closed }.
   *[other] Закрыто { $count } контактов: { $closed }.
}
button-ban = 🚫 Блок
button-ban-confirm = 🚫 Заблокировать клиента #{ $contact_id }
button-ban-cancel = Отмена
