"""Prometheus metrics on an optional port: jobs by type and status, durations, queue depths."""
from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

log = logging.getLogger("actionproof.metrics")


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.jobs = Counter("actionproof_jobs", "Job outcomes", ["type", "status"], registry=self.registry)
        self.errors = Counter("actionproof_job_errors", "Failed, rejected or dead-lettered jobs by error code",
                              ["type", "code"], registry=self.registry)
        self.duration = Histogram("actionproof_job_duration_seconds", "Time to process one job", ["type"],
                                  buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800),
                                  registry=self.registry)
        self.depth = Gauge("actionproof_queue_depth", "Messages ready in a queue", ["queue"], registry=self.registry)
        self.dead_letters = Gauge("actionproof_dead_letters", "Messages in a dead-letter queue", ["queue"],
                                  registry=self.registry)

    def observe(self, job_type: str, status: str, code: str | None, seconds: float) -> None:
        self.jobs.labels(job_type, status).inc()
        if code:
            self.errors.labels(job_type, code).inc()
        if status in ("done", "failed"):
            self.duration.labels(job_type).observe(seconds)

    def sample_queues(self, depths: dict[str, dict[str, int]]) -> None:
        for job_type, row in depths.items():
            self.depth.labels(job_type).set(row["ready"])
            self.dead_letters.labels(job_type).set(row["dead_letters"])

    def serve(self, port: int, addr: str = "127.0.0.1") -> None:
        start_http_server(port, addr=addr, registry=self.registry)
        log.info("metrics served", extra={"port": port, "addr": addr})
