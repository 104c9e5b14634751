# Часы работы (/hours, /holiday, /holidays) и что клиенты читают вне их.

client-out-of-hours = Спасибо! Сейчас мы не работаем и откроемся { $opens }. Вы в очереди: можете писать дальше, ничего не потеряется, и оператор ответит Вам здесь, когда мы откроемся.

hours-opens = { $weekday ->
        [mon] в понедельник
        [tue] во вторник
        [wed] в среду
        [thu] в четверг
        [fri] в пятницу
        [sat] в субботу
       *[sun] в воскресенье
    }, { $date }, в { $time } (по времени { $zone })
hours-opens-never = как только сможем

admin-hours = Часы работы @{ $source }: <code>{ $spec }</code>
admin-hours-set = Сохранено. Часы работы @{ $source }: <code>{ $spec }</code>
admin-hours-off = У @{ $source } нет часов работы: бот работает всегда. Задать их: /hours mon-fri 09:00-18:00 tz=Europe/Moscow.
admin-hours-off-set = Сохранено: @{ $source } теперь работает всегда; ожидающие получат операторов, как только те освободятся.
hours-open-now = Сейчас открыто.
hours-closed-now = Сейчас закрыто; откроется { $opens }.
admin-holidays = Выходные дни @{ $source } (закрыто весь день): { $days }
admin-holidays-none = У @{ $source } нет выходных дней. Добавить: /holiday 2027-01-01.
admin-holiday-added = Выходной день { $day } добавлен.
admin-holiday-known = { $day } уже выходной день.
admin-holiday-removed = { $day } больше не выходной день.
admin-holiday-unknown = { $day } не был выходным днём; ничего не изменилось.
usage-hours = /hours, /hours mon-fri 09:00-18:00 sat 10:00-14:00 tz=Europe/Moscow или /hours off
usage-holiday = /holiday ГГГГ-ММ-ДД или /holiday del ГГГГ-ММ-ДД

why-out-of-hours = { $when }: бот был закрыт (часы работы); клиенту сообщили, когда он откроется, и контакт ждёт в очереди до открытия.

error-hours-empty = Ничего не изменилось: укажите дни и часы, например /hours mon-fri 09:00-18:00 tz=Europe/Moscow, или /hours off.
error-hours-too-long = Ничего не изменилось: расписание — не больше { $limit } символов.
error-hours-token = Ничего не изменилось: «{ $token }» — это не дни (mon-fri), не часы (09:00-18:00) и не tz=&lt;пояс&gt;.
error-hours-time = Ничего не изменилось: «{ $token }» — не промежуток времени; время пишется как ЧЧ:ММ от 00:00 до 24:00, например 09:00-18:00.
error-hours-day = Ничего не изменилось: «{ $token }» — не дни; дни: mon, tue, wed, thu, fri, sat, sun или промежуток вроде mon-fri.
error-hours-empty-range = Ничего не изменилось: «{ $token }» кончается там же, где начинается.
error-hours-no-days = Ничего не изменилось: сначала укажите дни для «{ $token }», например mon-fri { $token }.
error-hours-no-range = Ничего не изменилось: для «{ $token }» нужны часы, например { $token } 09:00-18:00.
error-hours-zone = Ничего не изменилось: «{ $zone }» — не часовой пояс; укажите имя IANA, например Europe/Moscow или America/New_York.
error-hours-zone-twice = Ничего не изменилось: «{ $token }»: tz= указывается один раз.
error-hours-overlap = Ничего не изменилось: { $first } и { $second } пересекаются.
error-holiday-date = Ничего не изменилось: «{ $token }» — не дата; пишите ГГГГ-ММ-ДД, например 2027-01-01.

menu-hours = Часы работы этого бота
menu-holiday = Добавить или убрать выходной день
menu-holidays = Выходные дни этого бота
