"""The session every transaction runs in, and what it does around a commit.

Before a commit it writes the deliveries staged in the transaction (one statement) and the
webhook events (one statement, after one SELECT of the subscriptions); a rolled back
transaction forgets them. It also remembers, for after a commit, what the committed
transaction asks for: the delivery worker woken (it wrote deliveries) and the queue drained
(it may have freed capacity). ``take_after_commit`` hands that to the service layer, which acts
on it once the commit is done (``services.base.Service.transaction``): draining opens
transactions of its own, which a commit hook cannot.
"""

from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from db.repositories.deliveries import drop_staged, write_staged
from db.repositories.webhooks import drop_staged_events, write_staged_events

# Where a session keeps what the transaction under way, and the last commit, ask for.
_THIS_TRANSACTION = "after_commit_pending"
_COMMITTED = "after_commit_due"


@dataclass(slots=True)
class AfterCommit:
    """What a committed transaction asks for."""

    wake_worker: bool = False  # it wrote deliveries or webhook events
    drain_queue: bool = False  # queued contacts may find an operator now


class OutboxSession(Session):
    """A session that writes the deliveries staged in its transaction when it commits, and
    remembers what the commit asks for afterwards."""


def _pending(session: Session) -> AfterCommit:
    return session.info.setdefault(_THIS_TRANSACTION, AfterCommit())


def request_drain(session: Session) -> None:
    """The transaction under way may let queued contacts be assigned (a slot freed, an
    operator available again): drain the queue once it has committed."""
    _pending(session).drain_queue = True


def take_after_commit(session: Session) -> AfterCommit:
    """What the commits since the last call ask for (nothing after a rollback)."""
    return session.info.pop(_COMMITTED, None) or AfterCommit()


def _before_commit(session: Session) -> None:
    wrote = write_staged(session)
    # Not short-circuited: both outboxes are written whatever the other held.
    if write_staged_events(session) or wrote:
        _pending(session).wake_worker = True


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_THIS_TRANSACTION, None)
    if pending is not None:
        due = session.info.setdefault(_COMMITTED, AfterCommit())
        due.wake_worker |= pending.wake_worker
        due.drain_queue |= pending.drain_queue


def _after_rollback(session: Session, transaction: SessionTransaction) -> None:
    drop_staged(session, transaction)
    drop_staged_events(session, transaction)
    session.info.pop(_THIS_TRANSACTION, None)


event.listen(OutboxSession, "before_commit", _before_commit)
event.listen(OutboxSession, "after_commit", _after_commit)
event.listen(OutboxSession, "after_soft_rollback", _after_rollback)
