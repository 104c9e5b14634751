# Что читают администраторы: ответы на команды и предупреждения.

admin-only = Извините, это могут только администраторы.
admin-usage = Как пользоваться: { $usage }
admin-not-a-client = Вы администратор, поэтому Ваши сообщения здесь не открывают разговор с оператором. Ваши команды — в /help.
admin-operator-added = Оператор { $name } добавлен с лимитом { $limit }. Он будет получать контакты из бота, когда нажмёт там «Старт»: { $bots }
admin-operator-removed = Оператор { $telegram_id } удалён; { $requeued ->
    [0] открытых контактов у него не было.
    [one] { $requeued } открытый контакт вернулся в очередь.
    [few] { $requeued } открытых контакта вернулись в очередь.
   *[many] { $requeued } открытых контактов вернулись в очередь.
}
admin-limit-set = Лимит { $name }: { $previous } → { $limit }.
admin-activated = { $name } включён.
admin-activated-paused = { $name } включён, но сам поставил себя на паузу: новые контакты пойдут после /resume.
admin-deactivated = { $name } отключён; открытые контакты остаются у него.
admin-operators-none = Операторов пока нет. Добавьте оператора: /addop &lt;id в Telegram&gt; [лимит].
admin-operator-line = { $name } ({ $telegram_id }{ $username }): { $state }, { $open }/{ $limit }
admin-operator-link = {"   "}@{ $source }: вес { $weight }{ $flags }
admin-flag-not-started = , не запускал бота
admin-flag-unreachable = , заблокировал бота
admin-weights-head = Веса в @{ $source }:
admin-weights-line = { $name }: вес { $weight }, доля { $share }{ $flags }
admin-weights-none = Из @{ $source } пока никто не получает контакты. Задайте веса: /weights &lt;оператор&gt;=&lt;вес&gt;.
admin-sources-line = @{ $source } ({ $title }): { $total ->
    [one] { $total } контакт
    [few] { $total } контакта
   *[many] { $total } контактов
}, открыто { $open }, в очереди { $queued }, { $operators ->
    [one] { $operators } оператор
    [few] { $operators } оператора
   *[many] { $operators } операторов
} с весом
admin-queue-empty = Очередь пуста.
admin-queue-head = Очередь: { $total ->
    [one] { $total } контакт
    [few] { $total } контакта
   *[many] { $total } контактов
}, сначала самые давние:
admin-queue-line = #{ $contact_id } через @{ $source }: { $client }, ждёт { $waited }
admin-queue-more = …и ещё { $more }.
admin-stats-source = @{ $source }: { $total ->
    [one] { $total } контакт
    [few] { $total } контакта
   *[many] { $total } контактов
}, открыто { $open }, в очереди { $queued }
admin-stats-share = {"   "}{ $name }: { $assigned } ({ $share }, доля по весу { $configured })
admin-stats-operators = Операторы (их контакты за { $days ->
    [one] последний { $days } день
    [few] последние { $days } дня
   *[many] последние { $days } дней
}; медианы от назначения):
admin-stats-operator = {"   "}{ $name }: открыто { $open }/{ $limit }, получено { $assigned }, закрыто { $closed }
admin-stats-performance = {"      "}{ $contacts ->
    [one] { $contacts } контакт
    [few] { $contacts } контакта
   *[many] { $contacts } контактов
}, закрыто { $closed }, первый ответ через { $first_reply }, обработка { $handling }, { $ratings ->
    [0] оценок пока нет
    [one] средняя оценка { NUMBER($rating, maximumFractionDigits: 1) } из 5 ({ $ratings } оценка)
    [few] средняя оценка { NUMBER($rating, maximumFractionDigits: 1) } из 5 ({ $ratings } оценки)
   *[many] средняя оценка { NUMBER($rating, maximumFractionDigits: 1) } из 5 ({ $ratings } оценок)
}
admin-assigned = Контакт #{ $contact_id } теперь у { $operator }.

# /mode: как бот делит новые контакты между операторами.
mode-about = { $mode ->
    [exact] доли точно следуют весам на любом отрезке контактов
    [least_loaded] оператору с наименьшей загрузкой относительно его лимита; при равной загрузке — с большим весом
    [random] взвешенный случайный выбор: справедливо в среднем
   *[other] { $mode }
}
admin-mode = @{ $source } распределяет контакты в режиме { $mode }: { $about }.
    Сменить режим: /mode random, /mode exact или /mode least_loaded.
admin-mode-set = @{ $source } теперь распределяет контакты в режиме { $mode } (был { $previous }): { $about }.

# /why: записанные решения о контакте.
why-head = Почему контакт #{ $contact_id } из @{ $source } попал туда, куда попал:
why-none = О контакте #{ $contact_id } ничего не записано (он появился раньше, чем /why стал объяснять).
why-assigned = { $when }, режим { $mode }: контакт передан оператору { $name }.
why-queued = { $when }, режим { $mode }: никто не мог его взять, контакт встал в очередь.
why-reassigned = { $when }: контакт передан оператору { $name } (/assign или передача после напоминания).
why-eligible = {"   "}{ $name }: вес { $weight }, открыто { $open }/{ $limit }{ $chance ->
    [none] {""}
   *[other] , вероятность { $chance }
}
why-left-out = {"   "}{ $name } — вне выбора: { $reason ->
    [deactivated] отключение администратором
    [paused] пауза
    [not_started] бот не запущен
    [unreachable] бот заблокирован
    [weight_zero] вес 0
    [full] лимит заполнен
    [client] это сам клиент
    [changed] пауза или заполненный лимит в тот самый момент
    [off_shift] не на смене
    [not_on_duty] не дежурит (бот был закрыт)
   *[other] { $reason }
}
admin-invite =
    Одноразовое приглашение (лимит { $limit }): { $link }
    Кто откроет ссылку, станет оператором.
admin-alert-queue-wait = ⚠️ Контакт ждёт в очереди уже { $minutes } мин рабочего времени; в очереди { $total ->
    [one] { $total } контакт.
    [few] { $total } контакта.
   *[many] { $total } контактов.
}
admin-alert-delivery-failed = ⚠️ Сообщение в чат { $chat } (контакт #{ $contact_id }) не удалось доставить: { $error }
admin-alert-operator-unreachable = ⚠️ Оператор { $operator } ({ $telegram_id }) заблокировал @{ $source }; { $requeued ->
    [one] { $requeued } контакт из этого бота вернулся в очередь.
    [few] { $requeued } контакта из этого бота вернулись в очередь.
   *[many] { $requeued } контактов из этого бота вернулись в очередь.
} Это отменится, когда оператор напишет клиенту через @{ $source } или нажмёт там /start.
admin-alert-bot-degraded = ⚠️ Telegram уже { $minutes } мин. не принимает сообщения от @{ $source }. Ничего не потеряно: всё, что бот должен отправить, ждёт по порядку и уйдёт, как только Telegram снова ответит; входящие сообщения по-прежнему принимаются.
admin-alert-bot-recovered = ✅ @{ $source } снова отправляет сообщения (перерыв { $minutes } мин.); { $waited ->
    [one] ждало { $waited } сообщение.
    [few] ждали { $waited } сообщения.
   *[many] ждали { $waited } сообщений.
}

# Тексты этого бота (/texts, /text).
admin-texts-head = Тексты @{ $source } (изменить: /text &lt;название&gt; &lt;язык&gt; &lt;текст…&gt;, вернуть стандартный: /text &lt;название&gt; &lt;язык&gt;):
admin-texts-name = <b>{ $name }</b>
admin-texts-value = { $language }{ $custom ->
    [yes] {""} (задан здесь)
   *[no] {""} (стандартный)
}: { $text }
admin-text-set = Текст { $name } ({ $language }) для @{ $source } задан. Теперь клиенты прочитают:
admin-text-reset = Текст { $name } ({ $language }) для @{ $source } снова стандартный:

# Подсказки к командам с аргументами.
usage-addop = /addop &lt;id в Telegram&gt; [лимит]
usage-delop = /delop &lt;оператор&gt;
usage-limit = /limit &lt;оператор&gt; &lt;n&gt;
usage-activate = /activate &lt;оператор&gt;
usage-deactivate = /deactivate &lt;оператор&gt;
usage-weights = /weights [&lt;оператор&gt;=&lt;вес&gt; …]
usage-assign = /assign &lt;контакт&gt; &lt;оператор&gt;
usage-stats = /stats [дни], /stats chart
usage-mode = /mode [random|exact|least_loaded]
usage-why = /why &lt;контакт&gt;
usage-invite = /invite [лимит]
usage-template = /template add &lt;название&gt; &lt;текст…&gt; или /template del &lt;название&gt;
usage-text = /text &lt;название&gt; &lt;язык&gt; [текст…]
admin-templates-none = У @{ $source } ещё нет шаблонов. Добавьте шаблон: /template add &lt;название&gt; &lt;текст…&gt; ({"{"}name{"}"} в тексте заменяется именем клиента).
admin-templates-head = { $count ->
    [one] { $count } шаблон
    [few] { $count } шаблона
   *[many] { $count } шаблонов
} @{ $source } (операторы отправляют шаблон командой /t &lt;название&gt; в ответ на сообщение контакта):
admin-templates-item = <b>{ $name }</b>
    { $text }
admin-template-added = Шаблон { $name } бота @{ $source } добавлен. Клиенты прочитают:
admin-template-replaced = Шаблон { $name } бота @{ $source } заменён (он уже был). Клиенты прочитают:
admin-template-removed = Шаблон { $name } удалён.
usage-unban = /unban &lt;Telegram id клиента&gt;
admin-unbanned = { $telegram_id } больше не заблокирован: его следующее сообщение откроет контакт, как раньше.
admin-banned-none = Заблокированных нет.
admin-banned-head = { $count ->
    [one] { $count } заблокированный клиент:
    [few] { $count } заблокированных клиента:
   *[other] { $count } заблокированных клиентов:
}
admin-banned-item = 🚫 { $client }, с { $when }, заблокировал(а) { $by }: /unban { $telegram_id }
