# /stats chart: the titles and labels drawn in the picture, and its caption.

chart-queue = Contacts waiting in the queue, last 24 hours
chart-time = Time (UTC)
chart-load = Each operator's open contacts, last 24 hours
chart-open-contacts = open contacts
chart-nobody = No operator had contacts in the last 24 hours.
chart-got = contacts
chart-weight = weight
chart-shares = @{ $source }: shares of contacts and of weight
chart-caption = Switchboard statistics: the queue and the operators' loads over the last 24 hours (UTC), and each bot's shares against the weights.
chart-on-target = on target (share = weight)
chart-weight-axis = share of the weight, %
chart-got-axis = share of the contacts, %
