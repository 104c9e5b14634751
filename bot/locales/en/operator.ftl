# What operators read: the card of a new contact, answers to their commands and notices.

operator-card =
    📨 <b>New contact #{ $contact_id }</b> via @{ $source }
    Client: { $client }
    { $context }
    { $history }
    Reply to any message of this contact to answer; /close { $contact_id } ends it.
operator-card-history-none = First contact of this client.
operator-card-history-head = Earlier contacts:
operator-card-history-item = {"  "}#{ $id } via @{ $source }, { $status }, { $created }: /history { $id }
operator-contact-closed = ✅ Contact #{ $contact_id } is closed.
operator-contact-closed-by = ✅ Contact #{ $contact_id } was closed { $by ->
    [admin] by an admin
    [client] by the client
    [system] automatically
    [banned] because the client was blocked
   *[other] ({ $by })
}.
operator-transferred = ↪️ { $by } passed contact #{ $contact_id } to you. Their note: { $note }
operator-transferred-no-note = ↪️ { $by } passed contact #{ $contact_id } to you.
operator-transfer-done = Contact #{ $contact_id } is now with { $operator }; the client is told that another operator continues.
operator-transfer-usage = Usage: /transfer &lt;contact number&gt; &lt;op&gt; [note for your colleague]
operator-contact-taken-away = ↪️ Contact #{ $contact_id } was given to another operator.
operator-reminder = ⏰ Contact #{ $contact_id }: the client has waited { $minutes } min for your first reply.
operator-client-edited = ✏️ Contact #{ $contact_id }: the client edited a message; its new version follows.
operator-sent = Sent to contact #{ $contact_id }.
operator-already-sent = This message was sent to contact #{ $contact_id } already.
operator-unsupported = Telegram does not let bots pass this kind of message on; it was not sent.
operator-ambiguous = You have several open contacts here. Which one is this for?
operator-ambiguous-more = Only the { $shown } with the latest activity are listed; { $hidden } more { $hidden ->
    [one] is
   *[other] are
} open. To answer one of those, reply to one of its messages.
operator-choice = #{ $contact_id } { $client }
operator-no-contact = You have no open contact in this bot to send this to.
operator-reply-closed = Contact #{ $contact_id } is closed; your message was not sent.
operator-reply-taken-away = Contact #{ $contact_id } was given to another operator; your message was not sent.
operator-edit-not-relayed = ✏️ Edits of media (a photo, a file, ...) do not reach the client: contact #{ $contact_id } keeps the message as you first sent it. Please send the correction as a new message.
operator-contacts-none = You have no open contacts.
operator-contacts-head = Your open contacts ({ $count }):
operator-contacts-item = #{ $contact_id } via @{ $source }: { $client }, { $status }, { $created }
operator-deactivated = ⏸ An admin has deactivated you: you get no new contacts until an admin activates you again. Your open contacts stay with you.
operator-activated = ▶️ An admin has activated you: you get new contacts again.
operator-activated-paused = An admin has activated you; you have paused yourself, so send /resume to get new contacts.
operator-limit-changed = An admin set your limit of open contacts to { $limit } (it was { $previous }).
operator-paused = ⏸ Paused: you get no new contacts. Your open contacts stay with you.
operator-resumed = ▶️ Resumed: you get new contacts again.
operator-resumed-inactive = ▶️ Your pause is lifted, but an admin has deactivated you: you get no new contacts until an admin activates you again. Your open contacts stay with you.
operator-me =
    { $name }: { $state }, { $open } open of { $limit }.
    Bots: { $links }
operator-state-active = active
operator-state-paused = paused
operator-state-inactive = inactive
operator-state-inactive-paused = inactive and paused
operator-welcome = Welcome, { $name }! You are an operator now (limit { $limit }). Open every bot you should answer in and press Start there, too.
operator-started = You will get contacts from @{ $source } here.
operator-close-usage = Usage: /close &lt;contact number&gt;, or reply /close to a message.
operator-only = This command is for operators.
button-close = ✅ Close #{ $contact_id }
button-stale = This button is no longer valid.
button-transfer = ↪️ Transfer
operator-transfer-choose = Contact #{ $contact_id }: to whom? (Colleagues who can take it now.)
operator-transfer-choice = { $name }
operator-transfer-nobody = No colleague can take contact #{ $contact_id } now (all are busy, paused or have not started this bot); it stays with you.
operator-template-choose = Contact #{ $contact_id }: which template?
operator-template-choice = { $name }
operator-template-sent = Template sent to contact #{ $contact_id }.
operator-template-already-sent = A template was sent to contact #{ $contact_id } for this /t already.
operator-history-usage = Usage: /history &lt;contact number&gt;
transcript-head =
    Contact #{ $contact_id } via @{ $source }
    Client: { $client }
    Operator: { $operator }
    Status: { $status }
    Opened: { $opened }
    Closed: { $closed }
transcript-caption = Conversation of contact #{ $contact_id }: { $client }
transcript-client = Client
transcript-operator = Operator { $name }
transcript-media = [{ $kind ->
    [photo] photo
    [video] video
    [animation] animation
    [audio] audio
    [document] file
    [voice] voice message
    [video_note] video message
    [sticker] sticker
    [location] location
    [contact] contact
    [poll] poll
   *[other] { $kind }
}]
transcript-cut = [The rest of the conversation does not fit one file.]
operator-template-edit-not-relayed = ✏️ Contact #{ $contact_id } got the template's text, not your command: editing the command changes nothing there. Send /t again for another template.
operator-card-context = ℹ️ { $username } · language { $language_code } · phone { $phone }{ $earlier ->
    [0] {""}
    [one] {" · "}1 earlier contact, the last { $outcome }
   *[other] {" · "}{ $earlier } earlier contacts, the last { $outcome }
}
operator-card-outcome = closed { $how ->
    [operator] by the operator
    [client] by the client
    [admin] by an admin
    [system] automatically
    [idle] after a long silence
    [banned] when the client was blocked
   *[other] ({ $how })
}
operator-client-slowed = ⏳ The client of contact #{ $contact_id } is sending more than { $per_minute } messages a minute. The rest of this minute's are stored but not passed on one by one: /history { $contact_id } shows them all.
operator-ban-usage = Usage: /ban &lt;contact number&gt;
operator-ban-confirm = Block the client of contact #{ $contact_id }? Their open contacts close without a word to them, and nothing they send afterwards reaches anyone. Only an admin can lift it (/unban).
operator-ban-cancelled = Not blocked: contact #{ $contact_id } stays as it was.
operator-banned = 🚫 { $client } (id { $telegram_id }) is blocked. { $count ->
    [0] No open contact of theirs.
    [one] Closed: { $closed }.
   *[other] Closed { $count } contacts: { $closed }.
}
button-ban = 🚫 Block
button-ban-confirm = 🚫 Block the client of #{ $contact_id }
button-ban-cancel = Cancel
