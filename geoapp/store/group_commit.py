"""Group commit: the sends a process's threads make at once share one transaction, one commit.

With SQLite's one writer and synchronous=FULL every commit waits for the disk; fifty writers
each committing alone queue on that wait. Here the first thread to arrive leads: it takes
every send queued so far, runs each in the one transaction (each in a savepoint of its own,
so that one refused send undoes only itself) and commits, then wakes the senders. A send is
answered only after the commit that holds it, so an acknowledged send is on disk as before.
Sends arriving meanwhile queue for the next leader, the first of them. Nothing stays in
memory once answered: the queue holds only sends waiting for their commit.
"""

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Generic, TypeVar

from sqlalchemy import Connection

T = TypeVar("T")


class _Send(Generic[T]):
    """One thread's work waiting for a leader, and then its outcome."""

    def __init__(self, work: Callable[[Connection], T]) -> None:
        self.work = work
        self.woken = threading.Event()
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None

    def outcome(self) -> T:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]


class GroupCommit:
    """Runs `work` of concurrent threads in shared transactions opened by `transaction`."""

    def __init__(self, transaction: Callable[[], AbstractContextManager[Connection]]) -> None:
        self._transaction = transaction
        self._lock = threading.Lock()
        self._queue: list[_Send[object]] = []
        self._leading = False

    def run(self, work: Callable[[Connection], T]) -> T:
        """`work`'s result once the transaction it ran in is committed (or its exception)."""
        send: _Send[T] = _Send(work)
        with self._lock:
            self._queue.append(send)  # type: ignore[arg-type]
            lead = not self._leading
            self._leading = True
        if not lead:
            send.woken.wait()
            if send.done:
                return send.outcome()
            # Woken without an outcome: the previous leader handed over to this thread.
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            self._commit(batch)
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].woken.set()
                else:
                    self._leading = False
        return send.outcome()

    def _commit(self, batch: list[_Send[object]]) -> None:
        outcomes: list[tuple[object, Exception | None]] = []
        try:
            with self._transaction() as conn:
                for send in batch:
                    try:
                        with conn.begin_nested():
                            outcomes.append((send.work(conn), None))
                    except Exception as error:  # this send's refusal; the others go on
                        outcomes.append((None, error))
            # Committed: only now does any send hear that it was stored.
            for send, (result, error) in zip(batch, outcomes, strict=True):
                send.result, send.error = result, error
        except BaseException as error:
            # No commit: nothing of the batch is stored, and every send hears why.
            for send in batch:
                send.error = error
        finally:
            for send in batch:
                send.done = True
                send.woken.set()
