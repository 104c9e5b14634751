# Темы: о чём клиенты пишут боту; у каждой темы свои операторы и веса.

client-topics = О чём ваш вопрос? Выберите тему, и разговор попадёт к нужным людям.
client-topic-opened = { $topic }: оператор ответит здесь. Напишите свой вопрос.
client-topic-moved = { $topic }: разговор передан нужным людям.
client-topic-answered = { $topic }: учтено; оператор уже занимается вашим вопросом.
button-move-topic = Тема…
operator-card-topic = 🏷 Тема: { $topic }
operator-move-choose = В какую тему перевести контакт #{ $contact_id }?
operator-moved = Контакт #{ $contact_id } теперь в теме «{ $topic }», у оператора { $operator }.
operator-moved-queued = Контакт #{ $contact_id } теперь в теме «{ $topic }»; свободных операторов там нет, он ждёт в очереди.
operator-move-usage = Использование: /move &lt;номер контакта&gt; &lt;тема&gt;
admin-topics-none = У @{ $source } нет тем; /topic add &lt;название&gt; &lt;заголовок…&gt; добавляет тему.
admin-topics-head = Темы @{ $source } (клиент выбирает тему до или после первого сообщения):
admin-topics-item = • { $name } – { $title }: { $weights }
admin-topic-weight = { $name }={ $weight }
admin-topic-weights-source = веса бота (/weights &lt;тема&gt; @оператор=N задаёт теме свои)
admin-topic-added = Тема { $name } добавлена: { $title }
admin-topic-retitled = Тема { $name } теперь называется: { $title }
admin-topic-removed = Тема { $name } удалена; её контакты остаются, без темы.
admin-stats-topics-head = @{ $source } по темам:
admin-stats-topic = {"  "}{ $topic }: контактов { $contacts }, открытых { $open }
admin-stats-no-topic = {"  "}без темы: контактов { $contacts }, открытых { $open }
usage-topic = /topic add &lt;название&gt; &lt;заголовок…&gt; или /topic del &lt;название&gt;
menu-move = Перевести контакт в другую тему
menu-topics = Темы этого бота
menu-topic = Добавить или удалить тему
why-topic = Тема: { $topic } (действуют её веса, а если их нет — веса бота).
