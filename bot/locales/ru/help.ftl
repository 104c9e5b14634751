# /help для каждой роли и меню команд, которое Telegram показывает рядом с полем ввода.

help-client =
    Напишите свой вопрос, и оператор ответит Вам здесь.
    /language – выбрать язык
help-operator =
    Команды оператора:
    /contacts – Ваши открытые контакты
    /close [номер] – закрыть контакт
    /transfer &lt;номер&gt; &lt;оператор&gt; [примечание] – передать контакт коллеге
    /t [название] – в ответ на сообщение контакта: отправить шаблон этого бота
    /history &lt;номер&gt; – вся переписка контакта файлом
    /pause, /resume – перестать или снова начать получать контакты
    /me – Ваша нагрузка
    /language – выбрать язык
help-admin =
    Команды администратора:
    /operators
    /addop &lt;id&gt; [лимит]
    /delop &lt;оператор&gt;
    /limit &lt;оператор&gt; &lt;n&gt;
    /activate &lt;оператор&gt;, /deactivate &lt;оператор&gt;
    /weights [@форма] [&lt;оператор&gt;=&lt;вес&gt; …]
    /mode [random|exact|least_loaded] – как этот бот распределяет контакты
    /sources
    /queue
    /stats [дни] – и показатели операторов за неделю (или за столько дней)
    /assign &lt;контакт&gt; &lt;оператор&gt;
    /why &lt;контакт&gt; – почему контакт попал к этому оператору
    /invite [лимит]
    /texts – тексты этого бота для клиентов
    /text &lt;название&gt; &lt;язык&gt; [текст…] – задать текст или вернуть стандартный
    /templates – шаблоны ответов этого бота
    /template add &lt;название&gt; &lt;текст…&gt;, /template del &lt;название&gt;
    /history &lt;контакт&gt; – вся переписка контакта файлом
    /language – выбрать язык
    &lt;оператор&gt; — это id в Telegram или @username.

language-choose = Выберите язык:
language-chosen = Теперь я пишу Вам по-русски.

menu-help = Что я умею
menu-language = Выбрать язык
menu-contacts = Ваши открытые контакты
menu-close = Закрыть контакт
menu-pause = Не получать новые контакты
menu-resume = Снова получать контакты
menu-transfer = Передать контакт коллеге
menu-me = Ваша нагрузка и лимит
menu-operators = Операторы, нагрузка, веса
menu-addop = Добавить оператора
menu-delop = Удалить оператора
menu-limit = Задать лимит оператора
menu-activate = Включить оператора
menu-deactivate = Отключить оператора
menu-weights = Веса этого бота
menu-mode = Как бот распределяет контакты
menu-sources = Боты и их нагрузка
menu-queue = Контакты в очереди
menu-stats = Статистика
menu-assign = Передать контакт оператору
menu-why = Почему контакт попал туда
menu-invite = Одноразовая ссылка для оператора
menu-texts = Тексты этого бота для клиентов
menu-text = Изменить один из них
menu-t = Отправить контакту шаблон
menu-history = Переписка контакта файлом
menu-templates = Шаблоны этого бота
menu-template = Добавить или удалить шаблон
