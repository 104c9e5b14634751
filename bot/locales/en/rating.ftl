# "How did we do?": the stars a client gives a closed contact, and the answers to a tap.

client-rate-ask = How did we do? Rate this conversation from 1 to 5 stars.
button-rate = { $stars } ⭐
client-rated = Thank you for your rating: { $stars } of 5!
error-not-your-rating = This rating is not yours to give.
error-already-rated = You have already rated this conversation: { $stars } of 5. Thank you!
error-rating-too-late = This conversation was closed more than { $hours ->
    [one] an hour
   *[other] { $hours } hours
} ago and can no longer be rated.
