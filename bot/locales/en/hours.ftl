# Business hours (/hours, /holiday, /holidays) and what clients read outside them.

client-out-of-hours = Thank you! We are closed right now and open { $opens }. You are in the queue; keep writing if you like, nothing gets lost, and an operator will answer here once we are open.

hours-opens = on { $weekday ->
        [mon] Monday
        [tue] Tuesday
        [wed] Wednesday
        [thu] Thursday
        [fri] Friday
        [sat] Saturday
       *[sun] Sunday
    }, { $date }, at { $time } ({ $zone } time)
hours-opens-never = as soon as we can

admin-hours = Business hours of @{ $source }: <code>{ $spec }</code>
admin-hours-set = Saved. Business hours of @{ $source }: <code>{ $spec }</code>
admin-hours-off = @{ $source } has no business hours: it is always open. Set them with /hours mon-fri 09:00-18:00 tz=Europe/Moscow.
admin-hours-off-set = Saved: @{ $source } is always open now; whoever waits is assigned as operators are free.
hours-open-now = Open now.
hours-closed-now = Closed now; opens { $opens }.
hours-duty-after-hours = Outside these hours its operators on duty take new contacts (/afterhours).
admin-holidays = Holidays of @{ $source } (closed all day): { $days }
admin-holidays-none = @{ $source } has no holidays. Add one with /holiday 2027-01-01.
admin-holiday-added = Holiday { $day } added.
admin-holiday-known = { $day } is a holiday already.
admin-holiday-removed = { $day } is no holiday any more.
admin-holiday-unknown = { $day } was no holiday; nothing changed.
usage-hours = /hours, /hours mon-fri 09:00-18:00 sat 10:00-14:00 tz=Europe/Moscow or /hours off
usage-holiday = /holiday YYYY-MM-DD or /holiday del YYYY-MM-DD

why-out-of-hours = { $when }: the desk was closed (business hours); the client was told when it opens, and the contact waits in the queue until then.

error-hours-empty = Nothing changed: give day groups with their hours, e.g. /hours mon-fri 09:00-18:00 tz=Europe/Moscow, or /hours off.
error-hours-too-long = Nothing changed: a schedule is at most { $limit } characters.
error-hours-token = Nothing changed: “{ $token }” is neither days (mon-fri), hours (09:00-18:00) nor tz=&lt;zone&gt;.
error-hours-time = Nothing changed: “{ $token }” is no time range; times are HH:MM from 00:00 to 24:00, e.g. 09:00-18:00.
error-hours-day = Nothing changed: “{ $token }” names no days; days are mon, tue, wed, thu, fri, sat, sun, or a range like mon-fri.
error-hours-empty-range = Nothing changed: “{ $token }” starts where it ends.
error-hours-no-days = Nothing changed: say which days “{ $token }” is for first, e.g. mon-fri { $token }.
error-hours-no-range = Nothing changed: “{ $token }” needs its hours, e.g. { $token } 09:00-18:00.
error-hours-zone = Nothing changed: “{ $zone }” is no time zone; use an IANA name such as Europe/Moscow or America/New_York.
error-hours-zone-twice = Nothing changed: “{ $token }”: give tz= only once.
error-hours-overlap = Nothing changed: { $first } and { $second } overlap.
error-holiday-date = Nothing changed: “{ $token }” is no date; write it as YYYY-MM-DD, e.g. 2027-01-01.

menu-hours = This bot's business hours
menu-holiday = Add or remove a holiday
menu-holidays = This bot's holidays

# What a closed desk does (/afterhours), the operators' shifts (/shift) and duty (/duty).
admin-after-hours = Outside its business hours @{ $source } { $mode ->
    [duty] gives new contacts to its operators on duty (/duty), within their shifts; while none of them is free, they wait for the opening. Make every contact wait with /afterhours queue.
   *[queue] keeps new contacts in the queue until it opens. Let operators on duty take them with /afterhours duty.
}
admin-after-hours-set = Saved. Outside its business hours @{ $source } { $mode ->
    [duty] gives new contacts to its operators on duty (/duty), within their shifts; while none of them is free, they wait for the opening.
   *[queue] keeps new contacts in the queue until it opens.
}
admin-shift = Shift of { $name }: <code>{ $spec }</code>; { $now ->
    [on] on shift now.
   *[off] off shift now: no new contacts until it starts (the open ones stay theirs).
}
admin-shift-set = Saved. Shift of { $name }: <code>{ $spec }</code>; { $now ->
    [on] on shift now.
   *[off] off shift now: no new contacts until it starts (the open ones stay theirs).
}
admin-shift-none = { $name } has no shift: they get new contacts whenever they are active. Set one with /shift &lt;op&gt; mon-fri 10:00-19:00.
admin-shift-none-set = Saved: { $name } has no shift now; they get new contacts whenever they are active.
admin-duty-on = { $name } is on duty: while a bot that lets operators on duty take contacts (/afterhours duty) is closed, they get its new contacts, within their shift.
admin-duty-off = { $name } is off duty: they get new contacts only while the desk is open.
admin-operator-shift = {"   "}shift <code>{ $spec }</code>, { $now ->
    [on] on shift now
   *[off] off shift now
}
admin-operator-on-duty = {"   "}on duty outside business hours
usage-afterhours = /afterhours, /afterhours duty or /afterhours queue
usage-shift = /shift &lt;op&gt;, /shift &lt;op&gt; mon-fri 10:00-19:00 [tz=Europe/Moscow] or /shift &lt;op&gt; off
usage-duty = /duty &lt;op&gt; on or /duty &lt;op&gt; off
why-out-of-hours-duty = { $when }: the desk was closed (business hours) and no operator on duty could take it; the client was told when it opens, and the contact waits in the queue.
menu-afterhours = What this bot does while closed
menu-shift = An operator's shift
menu-duty = Put an operator on or off duty
