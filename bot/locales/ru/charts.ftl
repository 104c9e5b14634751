# /stats chart: заголовки и подписи на картинке и подпись к ней.

chart-queue = Контакты в очереди за последние 24 часа
chart-time = Время (UTC)
chart-load = Открытые контакты каждого оператора за последние 24 часа
chart-open-contacts = открытых контактов
chart-nobody = За последние 24 часа ни у одного оператора не было контактов.
chart-got = контакты
chart-weight = вес
chart-shares = @{ $source }: доли контактов и весов
chart-caption = Статистика Switchboard: очередь и загрузка операторов за последние 24 часа (UTC), доли каждого бота в сравнении с весами.
chart-on-target = по весам (доля = вес)
chart-weight-axis = доля веса, %
chart-got-axis = доля контактов, %
