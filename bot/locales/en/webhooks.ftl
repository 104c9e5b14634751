# Webhooks (the HTTP API's subscriptions to events): their refusals.

error-webhook-url = The url must be an http or https URL with a host, at most { $maximum } characters.
error-webhook-event = { $event } is not an event; the events are { $events }.
error-webhook-no-events = Give at least one event: { $events }.
error-webhook-secret = The secret must be 1 to { $maximum } printable characters.
error-unknown-webhook = There is no webhook { $ref }.
