# What admins read: answers to their commands and alerts.

admin-only = Sorry, only admins can do that.
admin-usage = Usage: { $usage }
admin-not-a-client = You are an admin, so your messages here do not open a conversation with an operator. /help lists your commands.
admin-operator-added = Operator { $name } added with limit { $limit }. They get contacts from a bot once they have pressed Start there: { $bots }
admin-operator-removed = Operator { $telegram_id } removed; { $requeued ->
    [0] they had no open contacts.
    [one] { $requeued } open contact went back to the queue.
   *[other] { $requeued } open contacts went back to the queue.
}
admin-limit-set = Limit of { $name }: { $previous } → { $limit }.
admin-activated = { $name } is active.
admin-activated-paused = { $name } is active, but has paused themselves: they get new contacts once they /resume.
admin-deactivated = { $name } is inactive; their open contacts stay with them.
admin-operators-none = No operators yet. Add one with /addop &lt;telegram id&gt; [limit].
admin-operator-line = { $name } ({ $telegram_id }{ $username }): { $state }, { $open }/{ $limit }
admin-operator-link = {"   "}@{ $source }: weight { $weight }{ $flags }
admin-flag-not-started = , has not started the bot
admin-flag-unreachable = , blocked the bot
admin-weights-head = Weights in @{ $source }:
admin-weights-line = { $name }: weight { $weight }, share { $share }{ $flags }
admin-weights-none = Nobody gets contacts from @{ $source } yet. Use /weights &lt;op&gt;=&lt;w&gt;.
admin-sources-line = @{ $source } ({ $title }): { $total ->
    [one] { $total } contact
   *[other] { $total } contacts
}, { $open } open, { $queued } queued, { $operators ->
    [one] { $operators } operator
   *[other] { $operators } operators
} with weight
admin-queue-empty = The queue is empty.
admin-queue-head = Queue: { $total ->
    [one] { $total } contact
   *[other] { $total } contacts
}, oldest first:
admin-queue-line = #{ $contact_id } via @{ $source }: { $client }, waiting { $waited }
admin-queue-more = …and { $more } more.
admin-stats-source = @{ $source }: { $total ->
    [one] { $total } contact
   *[other] { $total } contacts
}, { $open } open, { $queued } queued
admin-stats-share = {"   "}{ $name }: { $assigned } ({ $share }, weight share { $configured })
admin-stats-operators = Operators (their contacts of { $days ->
    [one] the last day
   *[other] the last { $days } days
}: median times from the assignment):
admin-stats-operator = {"   "}{ $name }: { $open }/{ $limit } open, { $assigned } got, { $closed } closed
admin-stats-performance = {"      "}{ $contacts ->
    [one] { $contacts } contact
   *[other] { $contacts } contacts
}, { $closed } closed, first reply { $first_reply }, handled in { $handling }, { $ratings ->
    [0] not rated yet
    [one] rated { NUMBER($rating, maximumFractionDigits: 1) } of 5 (1 rating)
   *[other] rated { NUMBER($rating, maximumFractionDigits: 1) } of 5 ({ $ratings } ratings)
}
admin-assigned = Contact #{ $contact_id } is now with { $operator }.

# /mode: how a bot shares its new contacts among its operators.
mode-about = { $mode ->
    [exact] the shares follow the weights exactly, over any stretch of contacts
    [least_loaded] to the operator with the lowest load for their limit; of equal loads the higher weight
    [random] weighted random: fair on average
   *[other] { $mode }
}
admin-mode = @{ $source } distributes in the mode { $mode }: { $about }.
    Change it with /mode random, /mode exact or /mode least_loaded.
admin-mode-set = @{ $source } now distributes in the mode { $mode } (it was { $previous }): { $about }.

# /why: the recorded decisions about a contact.
why-head = Why contact #{ $contact_id } of @{ $source } went where it went:
why-none = Nothing was recorded about contact #{ $contact_id } (it came before /why could explain).
why-assigned = { $when }, mode { $mode }: it went to { $name }.
why-queued = { $when }, mode { $mode }: nobody could take it, so it was queued.
why-reassigned = { $when }: moved to { $name } (/assign, or a reminder handing it on).
why-eligible = {"   "}{ $name }: weight { $weight }, { $open }/{ $limit } open{ $chance ->
    [none] {""}
   *[other] , chance { $chance }
}
why-left-out = {"   "}{ $name } left out: { $reason ->
    [deactivated] deactivated
    [paused] paused
    [not_started] has not started this bot
    [unreachable] blocked this bot
    [weight_zero] weight 0
    [full] at their limit
    [client] is the client
    [changed] paused or filled up just then
    [off_shift] outside their shift
    [not_on_duty] not on duty (the desk was closed)
   *[other] { $reason }
}
admin-invite =
    One-time invite (limit { $limit }): { $link }
    Whoever opens it becomes an operator.
admin-alert-queue-wait = ⚠️ A queued contact has waited { $minutes } min of working time; { $total ->
    [one] { $total } contact is queued.
   *[other] { $total } contacts are queued.
}
admin-alert-delivery-failed = ⚠️ A message to chat { $chat } (contact #{ $contact_id }) could not be delivered: { $error }
admin-alert-operator-unreachable = ⚠️ Operator { $operator } ({ $telegram_id }) blocked @{ $source }; { $requeued ->
    [one] { $requeued } contact
   *[other] { $requeued } contacts
} from it went back to the queue. Their next message to a client through @{ $source }, or /start there, undoes this.
admin-alert-bot-degraded = ⚠️ Telegram has taken no message through @{ $source } for { $minutes } min. Nothing is lost: what it should send waits, in order, and goes out as soon as Telegram answers again; messages to it are still received.
admin-alert-bot-recovered = ✅ @{ $source } sends again after { $minutes } min; { $waited ->
    [one] { $waited } message had been waiting.
   *[other] { $waited } messages had been waiting.
}

# Texts of this bot (/texts, /text).
admin-texts-head = Texts of @{ $source } (change one with /text &lt;name&gt; &lt;language&gt; &lt;text…&gt;, restore the default with /text &lt;name&gt; &lt;language&gt;):
admin-texts-name = <b>{ $name }</b>
admin-texts-value = { $language }{ $custom ->
    [yes] {""} (set here)
   *[no] {""} (default)
}: { $text }
admin-text-set = The text { $name } ({ $language }) of @{ $source } is set. Clients will now read:
admin-text-reset = The text { $name } ({ $language }) of @{ $source } is the default again:

# Usage lines of commands that take arguments.
usage-addop = /addop &lt;telegram id&gt; [limit]
usage-delop = /delop &lt;op&gt;
usage-limit = /limit &lt;op&gt; &lt;n&gt;
usage-activate = /activate &lt;op&gt;
usage-deactivate = /deactivate &lt;op&gt;
usage-weights = /weights [&lt;op&gt;=&lt;w&gt; …]
usage-assign = /assign &lt;contact&gt; &lt;op&gt;
usage-stats = /stats [days], /stats chart
usage-mode = /mode [random|exact|least_loaded]
usage-why = /why &lt;contact&gt;
usage-invite = /invite [limit]
usage-text = /text &lt;name&gt; &lt;language&gt; [text…]
usage-template = /template add &lt;name&gt; &lt;text…&gt; or /template del &lt;name&gt;
admin-templates-none = @{ $source } has no templates yet. Add one with /template add &lt;name&gt; &lt;text…&gt; ({"{"}name{"}"} in the text becomes the client's first name).
admin-templates-head = { $count ->
    [one] { $count } template
   *[other] { $count } templates
} of @{ $source } (operators send one with /t &lt;name&gt; as a reply to a contact):
admin-templates-item = <b>{ $name }</b>
    { $text }
admin-template-added = Template { $name } of @{ $source } added. Clients will read:
admin-template-replaced = Template { $name } of @{ $source } replaced (it existed already). Clients will read:
admin-template-removed = Template { $name } removed.
usage-unban = /unban &lt;client's Telegram id&gt;
admin-unbanned = { $telegram_id } is no longer blocked: their next message opens a contact as before.
admin-banned-none = Nobody is blocked.
admin-banned-head = { $count ->
    [one] 1 blocked client:
   *[other] { $count } blocked clients:
}
admin-banned-item = 🚫 { $client }, since { $when }, by { $by }: /unban { $telegram_id }
