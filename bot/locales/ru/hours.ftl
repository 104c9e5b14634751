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
hours-duty-after-hours = Вне этих часов новые контакты берут дежурные операторы (/afterhours).
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

# Что делает закрытый бот (/afterhours), смены операторов (/shift) и дежурство (/duty).
admin-after-hours = Вне часов работы @{ $source } { $mode ->
    [duty] отдаёт новые контакты дежурным операторам (/duty), в пределах их смен; пока никто из них не свободен, контакты ждут открытия. Чтобы все контакты ждали открытия: /afterhours queue.
   *[queue] держит новые контакты в очереди до открытия. Чтобы их брали дежурные операторы: /afterhours duty.
}
admin-after-hours-set = Сохранено. Вне часов работы @{ $source } { $mode ->
    [duty] отдаёт новые контакты дежурным операторам (/duty), в пределах их смен; пока никто из них не свободен, контакты ждут открытия.
   *[queue] держит новые контакты в очереди до открытия.
}
admin-shift = Смена оператора { $name }: <code>{ $spec }</code>; { $now ->
    [on] сейчас на смене.
   *[off] сейчас не на смене: новых контактов до начала смены не будет (открытые остаются у оператора).
}
admin-shift-set = Сохранено. Смена оператора { $name }: <code>{ $spec }</code>; { $now ->
    [on] сейчас на смене.
   *[off] сейчас не на смене: новых контактов до начала смены не будет (открытые остаются у оператора).
}
admin-shift-none = У оператора { $name } нет смены: новые контакты приходят, пока оператор активен. Задать смену: /shift &lt;оператор&gt; mon-fri 10:00-19:00.
admin-shift-none-set = Сохранено: у оператора { $name } больше нет смены; новые контакты приходят, пока оператор активен.
admin-duty-on = { $name } дежурит: пока закрыт бот, который отдаёт контакты дежурным (/afterhours duty), новые контакты приходят этому оператору, в пределах смены.
admin-duty-off = { $name } не дежурит: новые контакты приходят только в часы работы.
admin-operator-shift = {"   "}смена <code>{ $spec }</code>, { $now ->
    [on] сейчас на смене
   *[off] сейчас не на смене
}
admin-operator-on-duty = {"   "}дежурит вне часов работы
usage-afterhours = /afterhours, /afterhours duty или /afterhours queue
usage-shift = /shift &lt;оператор&gt;, /shift &lt;оператор&gt; mon-fri 10:00-19:00 [tz=Europe/Moscow] или /shift &lt;оператор&gt; off
usage-duty = /duty &lt;оператор&gt; on или /duty &lt;оператор&gt; off
why-out-of-hours-duty = { $when }: бот был закрыт (часы работы), и ни один дежурный оператор не мог взять контакт; клиенту сказали, когда бот откроется, и контакт ждёт в очереди.
menu-afterhours = Что делает бот, пока закрыт
menu-shift = Смена оператора
menu-duty = Поставить оператора на дежурство или снять
