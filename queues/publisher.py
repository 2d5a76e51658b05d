"""The publisher the CRM (and the workers) call: JSON only, persistent, confirmed."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from kombu import Connection, Producer

from .schemas import Envelope, dump_message, parse_message, queue_for
from .topology import Topology

RETRY_POLICY = {"max_retries": 10, "interval_start": 0.5, "interval_step": 1, "interval_max": 5}


def new_job_id(prefix: str = "job") -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def to_json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)


class Publisher:
    """Publishes jobs to their queues and events to the topic exchange.

    On RabbitMQ the connection has publisher confirms on, so `publish_*` returns only once the
    broker has taken the message; connection errors are retried (kombu's ensure).
    """

    def __init__(self, connection: Connection, topology: Topology, *, declare: bool = True) -> None:
        self.connection = connection
        self.topology = topology
        if declare:
            topology.declare(connection)
        self._producer = Producer(connection.default_channel)

    def _publish(self, body: str | bytes, exchange, routing_key: str, *, headers: dict | None = None,
                 content_type: str = "application/json") -> None:
        publish = self.connection.ensure(self._producer, self._producer.publish, **RETRY_POLICY)
        publish(body, exchange=exchange, routing_key=routing_key, headers=headers or {},
                content_type=content_type, content_encoding="utf-8", delivery_mode=2)

    def publish_job(self, message: Envelope | dict[str, Any], *, headers: dict | None = None) -> str:
        """Validate and publish one job message; returns its job_id."""
        msg = message if isinstance(message, Envelope) else parse_message(message)
        queue = self.topology.queue_name(queue_for(msg.schema_))
        self._publish(to_json(dump_message(msg)), self.topology.jobs, queue, headers=headers)
        return msg.job_id

    def publish_raw(self, job_type: str, body: str | bytes, *, content_type: str = "application/json",
                    headers: dict | None = None) -> None:
        """Publish a body as it is (replays and tests of malformed input)."""
        self._publish(body, self.topology.jobs, self.topology.queue_name(job_type), headers=headers,
                      content_type=content_type)

    def dead_letter(self, job_type: str, body: str | bytes, *, content_type: str | None,
                    headers: dict[str, Any]) -> None:
        self._publish(body, self.topology.jobs, self.topology.dlq_name(job_type), headers=headers,
                      content_type=content_type or "application/octet-stream")

    def publish_event(self, routing_key: str, body: dict[str, Any]) -> None:
        self._publish(to_json(body), self.topology.events, routing_key)


def job_message(schema: str, org_id: str, job_id: str | None = None, **payload: Any) -> dict[str, Any]:
    """A job message dict with a fresh envelope."""
    return {"schema": schema, "job_id": job_id or new_job_id(schema.split("/")[0]), "org_id": org_id,
            "sent_at": now_iso(), **payload}
