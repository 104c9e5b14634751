# Why a request was refused; nothing was changed.

error-generic = That did not work.
error-unknown-operator = There is no operator { $ref }.
error-ambiguous-operator = Several operators were known as { $ref } (Telegram ids { $ids }); use the id instead.
error-operator-exists = { $ref } is an operator already.
error-invalid-limit = The limit must be a whole number from 0 to { $maximum }, not { $value }.
error-weights-empty = Nothing changed: give at least one &lt;op&gt;=&lt;weight&gt;.
error-weights-malformed = Nothing changed: { $pair } is not &lt;op&gt;=&lt;weight&gt;.
error-weights-range = Nothing changed: the weight of { $ref } must be a whole number from 0 to { $maximum }.
error-weights-twice = Nothing changed: { $ref } is given twice.
error-invalid-operator-ref = { $ref } is neither a Telegram id nor an @username.
error-unknown-contact = There is no contact #{ $contact_id }.
error-unknown-lead = There is no lead { $lead_id }.
error-invalid-days = The number of days must be a whole number from 1 to { $maximum }.
error-unknown-mode = Nothing changed: { $mode } is not a mode. The modes: { $modes }.
error-contact-closed = Contact #{ $contact_id } is closed already.
error-contact-changed = Contact #{ $contact_id } was assigned or closed by someone else just now; nothing was changed. Look at it again (/queue) and retry if still needed.
error-not-your-contact = Contact #{ $contact_id } is not yours.
error-operator-full = { $ref } cannot take it: inactive, paused, has not started this bot, or at the limit.
error-operator-off-shift = { $ref } is off shift now (shift <code>{ $shift }</code>): pick someone on shift, or change the shift with /shift.
error-transfer-to-self = Contact #{ $contact_id } is yours already.
error-note-too-long = Nothing changed: the note has { $length } characters; at most { $limit } are allowed.
error-unknown-source = Unknown bot { $ref }.
error-invalid-invite = This invite link is invalid or was used already.
error-unknown-text = Nothing changed: there is no text { $name }. The texts are: { $names }.
error-unknown-language = Nothing changed: there is no language { $language }. The languages are: { $languages }.
error-text-too-long = Nothing changed: the text has { $length } characters; Telegram allows at most { $limit }.
error-internal = Sorry, something went wrong on our side. Please try again.
error-invalid-template-name = Nothing changed: { $name } is no template name (1 to 32 of a-z, 0-9 and _).
error-unknown-template = There is no template { $name } here. The templates are: { $names }
error-no-templates = This bot has no templates yet; an admin adds them with /template add.
error-template-too-long = Not sent: template { $name } would have { $length } characters; Telegram allows at most { $limit }.
error-template-no-contact = Send /t as a reply to a message of the contact it is for.
error-template-gone = That template was removed meanwhile; /t lists those there are now.
error-ban-form-lead = Contact #{ $contact_id } came through a form: only Telegram clients can be blocked.
error-ban-staff = The client of contact #{ $contact_id } is an operator or an admin and is not blocked.
error-already-banned = The client of contact #{ $contact_id } is blocked already.
error-not-banned = { $telegram_id } is not blocked.
error-invalid-topic-name = Nothing changed: { $name } is no topic name (1 to 32 of a-z, 0-9, _ and -).
error-invalid-topic-title = Nothing changed: a topic's title has 1 to { $limit } characters (this one { $length }).
error-unknown-topic = Nothing changed: there is no topic { $name } here. The topics are: { $names }
error-no-topics = This bot offers no topics; an admin adds them with /topic add.
error-form-without-topics = Source { $ref } is a form: forms have no topics (there is no chat to offer them in).
error-topic-gone = That topic was removed meanwhile; just write your question.
