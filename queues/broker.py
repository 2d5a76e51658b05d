"""Broker URL handling: RabbitMQ in production, the embedded SQLite transport by default."""
from __future__ import annotations

from kombu import Connection

from . import embedded


def is_embedded(url: str) -> bool:
    return url.startswith(f"{embedded.SCHEME}://")


def connect(url: str, *, lease_seconds: float | None = None, heartbeat: float = 0) -> Connection:
    """A kombu connection with publisher confirms on RabbitMQ and a message lease on SQLite."""
    options: dict = {}
    if is_embedded(url):
        embedded.register()
        if lease_seconds is not None:
            options["lease_seconds"] = lease_seconds
    elif url.startswith(("amqp://", "amqps://", "pyamqp://")):
        options["confirm_publish"] = True
    return Connection(url, transport_options=options, heartbeat=heartbeat,
                      connect_timeout=5)


def redact(url: str) -> str:
    """The URL without its password, for logs and status output."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
