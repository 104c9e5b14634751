# Общие части: название языка (на кнопках /language), даты, длительности и состояния контакта.

language-name = Русский
# Момент времени, всегда в UTC.
datetime = { DATETIME($moment, dateStyle: "medium", timeStyle: "short") } UTC
duration-seconds = { $seconds } с
duration-minutes = { $minutes } мин
duration-hours = { $hours } ч { $minutes } мин
contact-status = { $status ->
    [new] новый
    [in_progress] в работе
    [closed] закрыт
   *[other] { $status }
}
