# Topics: a bot's subjects its clients pick from, each with operators and weights of its own.

client-topics = What is it about? Pick a topic, and your conversation goes to the right people.
client-topic-opened = { $topic }: an operator will answer here. Write your question.
client-topic-moved = { $topic }: your conversation went to the right people.
client-topic-answered = { $topic }: noted; an operator is already on your question.
button-move-topic = Topic…
operator-card-topic = 🏷 Topic: { $topic }
operator-move-choose = Which topic should contact #{ $contact_id } move to?
operator-moved = Contact #{ $contact_id } is now in { $topic }, with { $operator }.
operator-moved-queued = Contact #{ $contact_id } is now in { $topic }; nobody there is free, so it waits in the queue.
operator-move-usage = Usage: /move &lt;contact number&gt; &lt;topic&gt;
admin-topics-none = @{ $source } offers no topics; /topic add &lt;name&gt; &lt;title…&gt; adds one.
admin-topics-head = Topics of @{ $source } (clients pick one before or after they write):
admin-topics-item = • { $name } – { $title }: { $weights }
admin-topic-weight = { $name }={ $weight }
admin-topic-weights-source = the bot's weights (/weights &lt;topic&gt; @op=N gives it its own)
admin-topic-added = Topic { $name } added: { $title }
admin-topic-retitled = Topic { $name } now reads: { $title }
admin-topic-removed = Topic { $name } removed; its contacts stay, without a topic.
admin-stats-topics-head = @{ $source } by topic:
admin-stats-topic = {"  "}{ $topic }: { $contacts } contacts, { $open } open
admin-stats-no-topic = {"  "}no topic: { $contacts } contacts, { $open } open
usage-topic = /topic add &lt;name&gt; &lt;title…&gt; or /topic del &lt;name&gt;
menu-move = Move a contact to another topic
menu-topics = This bot's topics
menu-topic = Add or remove a topic
why-topic = Topic: { $topic } (its weights apply, or the bot's if it has none).
