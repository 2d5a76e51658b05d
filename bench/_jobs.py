"""Waiting for a published job to be answered: shared by the latency benchmarks."""
from __future__ import annotations

import time

from models import ApJob


def wait_finished(sessions, job_id: str, what: str, timeout_s: float = 60) -> ApJob:
    """The job row once a worker has finished it; exits the benchmark when none did within `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with sessions() as s:
            job = s.get(ApJob, job_id)
            if job is not None and job.finished_at is not None:
                return job
        time.sleep(0.002)
    raise SystemExit(f"{what} not answered within {timeout_s:.0f} s")
