"""Exchanges and queues: one durable queue per job type, its dead-letter queue, the events exchange.

Retries and dead-lettering are done by the application rather than with RabbitMQ's
x-dead-letter arguments, because kombu's virtual transports ignore those: every transport
then behaves the same.
"""
from __future__ import annotations

from dataclasses import dataclass

from kombu import Connection, Exchange, Queue

from .schemas import JOB_QUEUES


@dataclass(frozen=True)
class Topology:
    prefix: str = ""  # isolates tests and tenants sharing one broker

    @property
    def jobs(self) -> Exchange:
        return Exchange(f"{self.prefix}actionproof.jobs", type="direct", durable=True)

    @property
    def events(self) -> Exchange:
        return Exchange(f"{self.prefix}actionproof.events", type="topic", durable=True)

    def queue_name(self, job_type: str) -> str:
        return f"{self.prefix}{job_type}"

    def dlq_name(self, job_type: str) -> str:
        return f"{self.prefix}{job_type}.dlq"

    def queue(self, job_type: str) -> Queue:
        name = self.queue_name(job_type)
        return Queue(name, exchange=self.jobs, routing_key=name, durable=True)

    def dlq(self, job_type: str) -> Queue:
        name = self.dlq_name(job_type)
        return Queue(name, exchange=self.jobs, routing_key=name, durable=True)

    def all_queues(self) -> list[Queue]:
        return [q for t in JOB_QUEUES for q in (self.queue(t), self.dlq(t))]

    def declare(self, conn: Connection) -> None:
        """Declare every exchange and queue (idempotent; cheap enough to do per connection)."""
        channel = conn.default_channel
        self.jobs(channel).declare()
        self.events(channel).declare()
        for q in self.all_queues():
            q(channel).declare()

    def event_queue(self, name: str, *routing_keys: str, durable: bool = True) -> Queue:
        """A subscriber's queue on the events exchange (for notifiers, tests and the CRM)."""
        from kombu import binding

        return Queue(f"{self.prefix}{name}", exchange=self.events, durable=durable,
                     bindings=[binding(self.events, routing_key=k) for k in routing_keys])
