# What clients read. The first five can be replaced per bot with /text (greeting, assigned,
# queued, closed, auto_closed).

client-greeting = Hello! Write your question here and an operator will answer.
client-assigned = Thank you! An operator has your message and will answer here.
client-queued = Thank you! All operators are busy right now. You are in the queue; keep writing if you like, nothing gets lost, and an operator will answer here.
client-closed = This conversation is closed. Write again any time to start a new one.
client-auto-closed = This conversation was closed after a long silence. Just write again to reopen it.
client-transferred = Another operator continues this conversation and has read your messages so far.
client-operator-joined = An operator has joined and is reading your messages.
client-unsupported = Sorry, this kind of message cannot be passed on. Please send text.
client-slowed-down = You are sending messages too fast; wait a moment. Nothing you sent is lost: the operator reads it all.
