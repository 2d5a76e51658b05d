"""Server-less kombu transport on one SQLite file: ``sqlite-lease:///var/broker.db``.

The embedded default runs on one machine with no services: a CRM process
publishes while worker processes consume, all through one SQLite file.

Why not kombu's own transports:

* the SQLAlchemy transport hides a message when it is read and never shows it
  again if the consumer dies before the ack; the filesystem transport deletes
  the file.  Here a read only *leases* the row: a consumer killed with SIGKILL
  leaves a lease that expires after ``lease_seconds``, then the message is
  visible again.  The ack deletes the row.
* virtual transports keep exchanges and bindings in per-process memory, so a
  binding declared by a worker is unknown to the CRM process that publishes.
  Here exchanges and bindings live in the database too (as redis.py does with
  ``get_table`` / ``_queue_bind``).

URL: ``sqlite-lease:///relative/path.db`` or ``sqlite-lease:////absolute/path.db``
(the SQLAlchemy convention).  Transport options: ``lease_seconds`` (300),
``polling_interval`` (0.1 s), ``busy_timeout`` (10 s), ``synchronous`` (NORMAL).
A consumer that holds messages longer on purpose calls ``channel.extend_leases()``.

Delivery is at-least-once: a consumer that holds a message longer than
``lease_seconds`` may see it handed to another consumer; its late ack is then
a logged no-op.  WAL needs every process on the same machine (no network FS).
Leases use the wall clock (shared by all processes); stepping it forward
expires leases early, i.e. causes redeliveries, never losses.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from queue import Empty

import kombu.transport
from kombu.transport import virtual
from kombu.transport.virtual.base import NotEquivalentError

logger = logging.getLogger(__name__)

SCHEME = "sqlite-lease"

SCHEMA = """
CREATE TABLE IF NOT EXISTS queues (name TEXT PRIMARY KEY, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS exchanges (name TEXT PRIMARY KEY, type TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bindings (
    exchange TEXT NOT NULL, routing_key TEXT NOT NULL, pattern TEXT NOT NULL,
    queue TEXT NOT NULL, PRIMARY KEY (exchange, routing_key, queue));
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,          -- enqueue order; never reused below max(id)
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,           -- the kombu message as JSON
    priority INTEGER NOT NULL DEFAULT 0,
    enqueued_at REAL NOT NULL,
    visible_at REAL NOT NULL,        -- a lease pushes this into the future
    lease_token TEXT,                -- NULL while nobody holds it
    deliveries INTEGER NOT NULL DEFAULT 0);
-- Matches the claim's ORDER BY, so finding the head is an index walk, not a sort.
CREATE INDEX IF NOT EXISTS messages_claim ON messages (queue, priority DESC, id);
"""


def db_path_from_url(url: str) -> str:
    """``sqlite-lease:///a/b.db`` -> ``a/b.db``; ``sqlite-lease:////a/b.db`` -> ``/a/b.db``."""
    _, sep, rest = url.partition("://")
    path = rest.partition("?")[0] if sep else url  # or a bare path as hostname
    path = path[1:] if sep and path.startswith("/") else path
    if path in ("", ":memory:"):  # would be private to one connection: no sharing
        raise ValueError(f"{SCHEME}:// needs a database file path, got {url!r}")
    return path


class QoS(virtual.QoS):
    """Settle messages in the database instead of re-publishing copies.

    The virtual QoS restores unacked messages by putting them again, which
    here would leave the leased original *and* a copy.  We only ever delete
    the row (ack, reject) or clear its lease (requeue, recover, close).
    """

    def ack(self, delivery_tag):
        self.channel._settle(delivery_tag, delete=True)
        super().ack(delivery_tag)

    def reject(self, delivery_tag, requeue=False):
        self.channel._settle(delivery_tag, delete=not requeue)
        self._quick_ack(delivery_tag)  # forget it locally; never re-put


SYNCHRONOUS_MODES = frozenset({"OFF", "NORMAL", "FULL", "EXTRA"})


class Channel(virtual.Channel):
    QoS = QoS
    # Makes virtual.Channel.queue_bind call _queue_bind, which persists every
    # binding (not only fanout ones) so other processes route with it.
    supports_fanout = True
    lease_seconds = 300.0
    busy_timeout = 10.0
    synchronous = "NORMAL"  # with WAL: survives a process crash, not a power cut
    from_transport_options = virtual.Channel.from_transport_options + (
        "lease_seconds", "busy_timeout", "synchronous")

    def __init__(self, connection, **kwargs):
        super().__init__(connection, **kwargs)
        self._lock = threading.RLock()  # acks may come from another thread
        self._db = None
        self._pid = None
        self.path = db_path_from_url(self.connection.client.hostname or "")
        self.db  # open now so a bad path fails at connect time

    # -- database plumbing ---------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        # A connection must not cross fork(): reopen in the child.
        if self._db is None or self._pid != os.getpid():
            if os.path.dirname(self.path):
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
            db = sqlite3.connect(self.path, timeout=self.busy_timeout,
                                 isolation_level=None,  # we issue BEGIN ourselves
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
            mode = str(self.synchronous).upper()
            if mode not in SYNCHRONOUS_MODES:  # a PRAGMA takes no bound parameter: only known words
                raise ValueError(f"sqlite-lease synchronous must be one of {sorted(SYNCHRONOUS_MODES)}, not {mode!r}")
            db.execute(f"PRAGMA synchronous={mode}")  # sql: identifiers only
            db.executescript(SCHEMA)
            self._db, self._pid = db, os.getpid()
        return self._db

    @contextmanager
    def _tx(self):
        """A short write transaction that takes the write lock up front.

        A deferred transaction that reads and then writes can fail with
        SQLITE_BUSY without waiting when another process wrote in between;
        BEGIN IMMEDIATE waits (busy_timeout) for the lock instead.
        """
        with self._lock:
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _query(self, sql, params=()):
        with self._lock:
            return self.db.execute(sql, params).fetchall()

    def _write(self, sql, params=()) -> int:
        with self._lock:  # a single statement is its own transaction
            return self.db.execute(sql, params).rowcount

    def close(self):
        super().close()  # restores unacked messages through _restore first
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None

    # -- messages ------------------------------------------------------------

    def _put(self, queue, message, **kwargs):
        now = time.time()
        self._write(
            "INSERT INTO messages (queue, payload, priority, enqueued_at, visible_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (queue, json.dumps(message), self._get_message_priority(message), now, now))

    def _put_fanout(self, exchange, message, routing_key, **kwargs):
        for queue in {q for _, _, q in self.get_table(exchange)}:
            self._put(queue, message, **kwargs)

    def _get(self, queue, timeout=None):
        now = time.time()
        # Idle consumers poll often: peek without the write lock first so they
        # do not queue up behind each other and the publishers.
        if not self._query("SELECT 1 FROM messages WHERE queue = ? AND visible_at <= ?"
                           " LIMIT 1", (queue, now)):
            raise Empty()
        token = uuid.uuid4().hex
        with self._tx() as db:
            # "Oldest" is id order (enqueue order), not enqueued_at: the wall
            # clock can step back, ids cannot.  A requeued message keeps its id
            # and so its place at the head, as in RabbitMQ.
            row = db.execute(
                "SELECT id, payload, deliveries FROM messages WHERE queue = ?"
                " AND visible_at <= ? ORDER BY priority DESC, id LIMIT 1",
                (queue, now)).fetchone()
            if row is None:
                raise Empty()  # another consumer took it since the peek
            row_id, payload, deliveries = row
            db.execute("UPDATE messages SET visible_at = ?, lease_token = ?,"
                       " deliveries = deliveries + 1 WHERE id = ?",
                       (now + float(self.lease_seconds), token, row_id))
        message = json.loads(payload)
        props = message["properties"]
        # A fresh tag per claim carries what ack needs (row id + lease token),
        # and a redelivery to the same channel never collides with a stale tag.
        props["delivery_tag"] = f"{row_id}:{token}"
        props.setdefault("delivery_info", {})["redelivered"] = deliveries > 0
        if deliveries:  # RabbitMQ quorum-queue style: earlier delivery attempts
            message["headers"] = dict(message.get("headers") or {},
                                      **{"x-delivery-count": deliveries})
        return message

    def _settle(self, delivery_tag, delete):
        """Ack/reject (delete) or requeue (clear the lease) if we still hold it."""
        row_id, _, token = str(delivery_tag).partition(":")
        if delete:
            n = self._write("DELETE FROM messages WHERE id = ? AND lease_token = ?",
                            (int(row_id), token))
        else:
            n = self._write("UPDATE messages SET visible_at = ?, lease_token = NULL"
                            " WHERE id = ? AND lease_token = ?",
                            (time.time(), int(row_id), token))
        if not n:
            logger.warning(
                "message %s: lease lost before %s (held longer than lease_seconds=%s?);"
                " it is redelivered to another consumer", row_id,
                "ack/reject" if delete else "requeue", self.lease_seconds)

    def extend_leases(self) -> int:
        """Renew the lease of every message this channel holds unacked.

        For consumers that keep a message past ``lease_seconds`` on purpose
        (long job, delayed retry); call it well within ``lease_seconds``.
        Returns how many leases were renewed (lost ones are not re-taken).
        """
        until = time.time() + float(self.lease_seconds)
        renewed = 0
        with self._tx() as db:
            for tag in list(self.qos._delivered):
                row_id, _, token = str(tag).partition(":")
                renewed += db.execute(
                    "UPDATE messages SET visible_at = ? WHERE id = ? AND lease_token = ?",
                    (until, int(row_id), token)).rowcount
        return renewed

    def _restore(self, message):
        # Used by recover and by channel close for unacked messages: clear the
        # lease so the row is visible now.  Never re-put (that duplicates).
        try:
            self._settle(message.delivery_tag, delete=False)
        except sqlite3.Error as exc:  # not lost: the lease will expire
            logger.warning("could not release lease of %s (%s); visible again after"
                           " lease_seconds", message.delivery_tag, exc)

    def basic_get(self, queue, no_ack=False, **kwargs):
        message = super().basic_get(queue, no_ack=no_ack, **kwargs)
        if message is not None and no_ack:  # no ack will ever come
            self._settle(message.delivery_tag, delete=True)
        return message

    def basic_consume(self, queue, no_ack, callback, consumer_tag, **kwargs):
        if no_ack:
            def callback(message, _inner=callback):
                self._settle(message.delivery_tag, delete=True)  # at-most-once
                return _inner(message)
        return super().basic_consume(queue, no_ack, callback, consumer_tag, **kwargs)

    def _size(self, queue):  # ready messages, like RabbitMQ's messages_ready
        return self._query("SELECT COUNT(*) FROM messages WHERE queue = ? AND"
                           " visible_at <= ?", (queue, time.time()))[0][0]

    def _purge(self, queue):  # leased messages stay with their consumers
        return self._write("DELETE FROM messages WHERE queue = ? AND visible_at <= ?",
                           (queue, time.time()))

    # -- queues, exchanges, bindings (shared by all processes) ---------------

    def _new_queue(self, queue, **kwargs):
        self._write("INSERT OR IGNORE INTO queues VALUES (?, ?)", (queue, time.time()))

    def _has_queue(self, queue, **kwargs):
        return bool(self._query("SELECT 1 FROM queues WHERE name = ?", (queue,)))

    def _delete(self, queue, *args, **kwargs):
        with self._tx() as db:
            for table, column in (("messages", "queue"), ("bindings", "queue"),
                                  ("queues", "name")):
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (queue,))  # sql: identifiers only

    def queue_delete(self, queue, if_unused=False, if_empty=False, **kwargs):
        # The virtual version calls _delete once per binding known to *this*
        # process, i.e. not at all for a queue bound elsewhere.
        if if_empty and self._size(queue):
            return
        self._delete(queue)
        self.state.queue_bindings_delete(queue)

    def exchange_declare(self, exchange=None, type="direct", durable=False,
                         auto_delete=False, arguments=None, nowait=False, passive=False):
        type = type or "direct"
        exchange = exchange or f"amq.{type}"
        if passive:
            if self._exchange_type(exchange) is None:
                return super().exchange_declare(exchange, type, passive=True)
            return None
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO exchanges VALUES (?, ?)", (exchange, type))
            (stored,) = db.execute("SELECT type FROM exchanges WHERE name = ?",
                                   (exchange,)).fetchone()
        if stored != type:  # RabbitMQ refuses this too (PRECONDITION_FAILED)
            raise NotEquivalentError(
                f"exchange {exchange!r} exists with type {stored!r}, not {type!r}")
        return super().exchange_declare(exchange, type, durable, auto_delete,
                                        arguments, nowait)

    def exchange_delete(self, exchange, if_unused=False, nowait=False):
        super().exchange_delete(exchange, if_unused, nowait)
        with self._tx() as db:
            db.execute("DELETE FROM bindings WHERE exchange = ?", (exchange,))
            db.execute("DELETE FROM exchanges WHERE name = ?", (exchange,))

    def _exchange_type(self, exchange):
        row = self._query("SELECT type FROM exchanges WHERE name = ?", (exchange,))
        return row[0][0] if row else None

    def typeof(self, exchange, default="direct"):
        # A publisher may never have declared the exchange a worker bound to.
        if exchange in self.state.exchanges:
            return super().typeof(exchange, default)
        return self.exchange_types[self._exchange_type(exchange) or default]

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        self._write("INSERT OR REPLACE INTO bindings VALUES (?, ?, ?, ?)",
                    (exchange, routing_key or "", pattern or "", queue))

    def queue_unbind(self, queue, exchange=None, routing_key="", arguments=None, **kwargs):
        super().queue_unbind(queue, exchange, routing_key, arguments, **kwargs)
        self._write("DELETE FROM bindings WHERE exchange = ? AND routing_key = ?"
                    " AND queue = ?", (exchange, routing_key or "", queue))

    def get_table(self, exchange):
        # Read on every publish so bindings made by other processes count.
        return self._query("SELECT routing_key, pattern, queue FROM bindings"
                           " WHERE exchange = ?", (exchange,))


class Transport(virtual.Transport):
    Channel = Channel
    polling_interval = 0.1
    can_parse_url = True  # kombu hands us the whole URL as hostname
    default_port = 0
    driver_type = "sql"
    driver_name = "sqlite3"
    # "database is locked" after busy_timeout is worth a kombu retry.
    connection_errors = virtual.Transport.connection_errors + (sqlite3.OperationalError,)
    implements = virtual.Transport.implements.extend(
        exchange_type=frozenset(["direct", "topic", "fanout"]))

    def driver_version(self):
        return sqlite3.sqlite_version


def register() -> None:
    """Make ``kombu.Connection("sqlite-lease:///...")`` resolve to this transport."""
    kombu.transport.TRANSPORT_ALIASES[SCHEME] = "queues.embedded:Transport"


register()
