"""The few exceptions a job can end with; each maps to a job status of docs/contract.md, "Job life".

`rejected` (the message itself is unusable) is `queues.schemas.MessageError`, raised where
messages are decoded; these are what handlers raise.
"""
from __future__ import annotations


class JobError(Exception):
    """Base: `code` is the error code stored on the job, the message is for a manager to read."""

    status = "failed"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Failed(JobError):
    """Permanent: retrying cannot help (consent missing, file missing, corrupt media)."""

    status = "failed"


class Retry(JobError):
    """Transient: retried with backoff until `window_s` after the first attempt."""

    status = "retrying"

    def __init__(self, code: str, message: str, window_s: float | None = None,
                 final: str = "dead_lettered") -> None:
        super().__init__(code, message)
        self.window_s = window_s  # None: the configured retry window
        self.final = final  # what happens when the window is over: dead_lettered or failed


def not_found(what: str, window_s: float) -> Retry:
    # The CRM may publish before its commit is visible: wait a little, then fail.
    return Retry("not_found", f"{what} not found", window_s=window_s, final="failed")
