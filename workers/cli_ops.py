"""Operator commands: `health`, `purge`, `reprocess`."""
from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from .config import Settings


def check_health(settings: Settings, *, model: bool = True) -> dict[str, Any]:
    """Broker reachable, database reachable and migrated, speech model present and intact."""
    out: dict[str, Any] = {}
    try:
        from queues.broker import connect

        with connect(settings.broker_url, lease_seconds=settings.lease_s) as conn:
            conn.ensure_connection(max_retries=1)
            out["broker"] = {"ok": True}
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        out["broker"] = {"ok": False, "error": f"{type(e).__name__}: {str(e)[:200]}"}
    try:
        from alembic.script import ScriptDirectory

        from models.db import alembic_config, current_revision

        head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
        current = current_revision(settings.database_url)
        out["database"] = {"ok": current == head, "revision": current, "head": head}
        if current != head:
            out["database"]["error"] = "schema not at head: run `actionproof db upgrade`"
    except Exception as e:  # noqa: BLE001
        out["database"] = {"ok": False, "error": f"{type(e).__name__}: {str(e)[:200]}"}
    if model:
        try:
            from .asr_model import model_info

            # Never assembles or downloads: health only looks at what is there.
            info = model_info(settings.asr_model, settings.asr_cache_dir, device=settings.asr_device,
                              compute_type=settings.asr_compute_type, threads=settings.asr_threads,
                              assemble=False, checksum=True)  # reports the device a worker would use
            intact = info.path is not None and (info.expected_sha256 is None or info.sha256 == info.expected_sha256)
            out["model"] = {"ok": intact, **info.as_dict()}
            if not intact:
                out["model"]["error"] = "speech model missing or damaged (assembled on first transcription)"
        except Exception as e:  # noqa: BLE001
            out["model"] = {"ok": False, "error": f"{type(e).__name__}: {str(e)[:200]}"}
    out["ok"] = all(v["ok"] for v in out.values() if isinstance(v, dict))
    return out


def cmd_health(args, settings: Settings) -> int:
    out = check_health(settings, model=not args.no_model)
    print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    return 0 if out["ok"] else 1


def cmd_purge(args, settings: Settings) -> int:
    from .app import sessions
    from .privacy import purge

    days = args.days if args.days is not None else settings.retention_days
    out = purge(sessions(settings), settings, older_than_days=days, dry_run=args.dry_run)
    print(json.dumps({"older_than_days": days, "dry_run": args.dry_run, **out}, ensure_ascii=False))
    return 0


def reprocess_messages(settings: Settings, since: dt.datetime, types: list[str]) -> list[dict[str, Any]]:
    """Job messages that re-run every job of `types` whose source is newer than `since`."""
    from sqlalchemy import select

    from models import ApTranscript, CrmAction, CrmCustomer, CrmMessage, CrmRecording
    from queues.publisher import job_message

    from .app import sessions

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    out: list[dict[str, Any]] = []
    with sessions(settings)() as s:
        org_of = dict(s.execute(select(CrmCustomer.id, CrmCustomer.org_id)).all())
        if "verify" in types:
            for a in s.scalars(select(CrmAction).where(CrmAction.submitted_at >= since)):
                out.append(job_message("action.submitted/1", a.org_id, job_id=f"reprocess-{stamp}-action-{a.id}",
                                       action_id=a.id))
        if "transcribe" in types:
            for r in s.scalars(select(CrmRecording).where(CrmRecording.recorded_at >= since)):
                out.append(job_message("recording.submitted/1", org_of[r.customer_id],
                                       job_id=f"reprocess-{stamp}-recording-{r.id}", recording_id=r.id))
        if "analyze" in types:
            for t in s.scalars(select(ApTranscript).where(ApTranscript.created_at >= since)):
                out.append(job_message("transcript.ready/1", t.org_id, job_id=f"reprocess-{stamp}-transcript-{t.id}",
                                       transcript_id=t.id))
            for m in s.scalars(select(CrmMessage).where(CrmMessage.sent_at >= since)):
                out.append(job_message("message.submitted/1", org_of[m.customer_id],
                                       job_id=f"reprocess-{stamp}-message-{m.id}", message_id=m.id))
        if "score" in types:
            for cid, org in org_of.items():
                out.append(job_message("customer.changed/1", org, job_id=f"reprocess-{stamp}-customer-{cid}",
                                       customer_id=cid, reason="reprocess"))
    return out


def cmd_reprocess(args, settings: Settings) -> int:
    from .app import publisher

    since = dt.datetime.fromisoformat(args.since)
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.timezone.utc)
    types = args.type or ["verify", "transcribe", "analyze", "score"]
    messages = reprocess_messages(settings, since, types)
    if not args.dry_run and messages:
        pub = publisher(settings)
        try:
            for m in messages:
                pub.publish_job(m)
        finally:
            pub.connection.release()
    counts: dict[str, int] = {}
    for m in messages:
        counts[m["schema"]] = counts.get(m["schema"], 0) + 1
    print(json.dumps({"since": since.isoformat(), "dry_run": args.dry_run, "published": counts}, ensure_ascii=False))
    return 0


def add_ops_commands(sub: argparse._SubParsersAction) -> None:
    h = sub.add_parser("health", help="broker, database and speech model readiness (JSON; exit 1 when not ready)")
    h.add_argument("--no-model", action="store_true", help="skip the speech model check (workers without transcribe)")
    h.set_defaults(func=cmd_health)

    p = sub.add_parser("purge", help="delete recordings, transcripts and photos past retention, "
                                     "and transcripts of recordings whose consent was revoked")
    p.add_argument("--days", type=float, help="retention in days (default ACTIONPROOF_RETENTION_DAYS)")
    p.add_argument("--dry-run", action="store_true")
    p.set_defaults(func=cmd_purge)

    r = sub.add_parser("reprocess", help="re-run jobs after a rule or model change")
    r.add_argument("--since", required=True, help="ISO date or time (UTC unless an offset is given)")
    r.add_argument("--type", action="append", choices=["verify", "transcribe", "analyze", "score"])
    r.add_argument("--dry-run", action="store_true")
    r.set_defaults(func=cmd_reprocess)
