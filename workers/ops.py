"""What operators ask: queue depths, job states, dead letters and their replay."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import ApAlert, ApAnalysis, ApCheck, ApJob, ApVerdict
from queues.publisher import Publisher
from queues.schemas import JOB_QUEUES
from queues.topology import Topology


def queue_depths(conn, topology: Topology) -> dict[str, dict[str, int]]:
    depths: dict[str, dict[str, int]] = {}
    channel = conn.channel()
    try:
        for job_type in JOB_QUEUES:
            row = {}
            for key, q in (("ready", topology.queue(job_type)), ("dead_letters", topology.dlq(job_type))):
                _name, count, _consumers = q(channel).queue_declare(passive=False)
                row[key] = int(count)
            depths[job_type] = row
    finally:
        channel.close()
    return depths


def job_counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as s:
        return dict(s.execute(select(ApJob.status, func.count()).group_by(ApJob.status)).all())


def alert_counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as s:
        return dict(s.execute(select(ApAlert.status, func.count()).group_by(ApAlert.status)).all())


def job_detail(sessions: sessionmaker[Session], job_id: str) -> dict[str, Any] | None:
    with sessions() as s:
        job = s.get(ApJob, job_id)
        if job is None:
            return None
        out: dict[str, Any] = {c: getattr(job, c) for c in (
            "job_id", "org_id", "schema", "queue", "status", "error_code", "error", "attempts", "payload",
            "result", "received_at", "first_attempt_at", "finished_at")}
        verdict = s.scalar(select(ApVerdict).where(ApVerdict.job_id == job_id))
        if verdict is not None:
            out["verdict"] = {"id": verdict.id, "action_id": verdict.action_id, "version": verdict.version,
                              "status": verdict.status, "failed_rules": verdict.failed_rules,
                              "rules_version": verdict.rules_version, "superseded_at": verdict.superseded_at}
            out["checks"] = [
                {"rule": c.rule, "subject": c.subject, "passed": c.passed,
                 "value": c.value_num if c.value_num is not None else c.value_text, "unit": c.unit,
                 "threshold": c.threshold, "reason": c.reason, "detail": c.detail}
                for c in s.scalars(select(ApCheck).where(ApCheck.verdict_id == verdict.id).order_by(ApCheck.id))]
            alert = s.scalar(select(ApAlert).where(ApAlert.verdict_id == verdict.id))
            if alert is not None:
                out["alert"] = {"id": alert.id, "status": alert.status, "manager_id": alert.manager_id,
                                "due_at": alert.due_at, "reasons": alert.reasons}
        transcript_id = (job.result or {}).get("transcript_id") if isinstance(job.result, dict) else None
        if transcript_id is not None:
            # The recording's 录音摘要, once its transcript is analysed.
            out["summary"] = s.scalar(select(ApAnalysis.summary).where(ApAnalysis.source_kind == "transcript",
                                                                       ApAnalysis.source_id == transcript_id))
        return out


def _drain(conn, topology: Topology, job_type: str, limit: int):
    """Take up to `limit` dead letters without acking; closing the channel puts back the rest."""
    channel = conn.channel()
    queue = topology.dlq(job_type)(channel)
    queue.declare()
    taken = []
    while len(taken) < limit:
        # Only the raw body is read (shown and republished as it is); nothing here decodes, and JSON
        # is the only content type kombu would ever be allowed to deserialise.
        message = queue.get(no_ack=False, accept=["application/json"])
        if message is None:
            break
        taken.append(message)
    return channel, taken


def _body_text(message) -> str:
    body = message.body
    return body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body)


def dlq_list(conn, topology: Topology, limit: int = 100) -> list[dict[str, Any]]:
    out = []
    for job_type in JOB_QUEUES:
        channel, taken = _drain(conn, topology, job_type, limit)
        try:
            for m in taken:
                h = m.headers or {}
                out.append({"queue": job_type, "job_id": h.get("x-job-id"), "status": h.get("x-status"),
                            "error_code": h.get("x-error-code"), "error": h.get("x-error"),
                            "dead_lettered_at": h.get("x-dead-lettered-at"), "body": _body_text(m)[:500]})
        finally:
            channel.close()
    return out


def dlq_replay(conn, topology: Topology, publisher: Publisher, job_id: str | None = None,
               limit: int = 10_000) -> list[str]:
    """Send dead letters back to their job queue (all, or the one with `job_id`)."""
    replayed = []
    for job_type in JOB_QUEUES:
        channel, taken = _drain(conn, topology, job_type, limit)
        try:
            for m in taken:
                h = dict(m.headers or {})
                if job_id is not None and h.get("x-job-id") != job_id:
                    continue
                headers = {k: v for k, v in h.items() if not k.startswith("x-") or k == "x-job-id"}
                headers["x-replay"] = 1
                publisher.publish_raw(job_type, m.body, content_type=m.content_type or "application/json",
                                      headers=headers)
                m.ack()
                replayed.append(h.get("x-job-id") or "?")
        finally:
            channel.close()
    return replayed


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
