# Вебхуки (подписки HTTP API на события): отказы.

error-webhook-url = Поле url должно быть адресом http или https с именем хоста, не длиннее { $maximum } символов.
error-webhook-event = { $event } — не событие; события: { $events }.
error-webhook-no-events = Укажите хотя бы одно событие: { $events }.
error-webhook-secret = Секрет должен состоять из печатных символов, от 1 до { $maximum }.
error-unknown-webhook = Вебхука { $ref } нет.
