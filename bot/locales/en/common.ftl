# Shared pieces: the language's own name (shown on the /language buttons), dates, durations
# and the words for a contact's state. Every message may use them.

language-name = English
# A moment, always in UTC.
datetime = { DATETIME($moment, dateStyle: "medium", timeStyle: "short") } UTC
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
contact-status = { $status ->
    [new] new
    [in_progress] in progress
    [closed] closed
   *[other] { $status }
}
