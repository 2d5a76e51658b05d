"""The `actionproof` command."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path

from .config import Settings


def _settings() -> Settings:
    return Settings.from_env()


def cmd_db_upgrade(args, settings: Settings) -> int:
    from models.db import upgrade

    upgrade(settings.database_url)
    print(f"database at head: {_redact(settings.database_url)}")
    return 0


def cmd_worker(args, settings: Settings) -> int:
    from .app import handled_job_types, make_worker
    from .logs import setup_logging

    setup_logging(settings.log_level)
    known = handled_job_types()
    if args.all:
        job_types = known
    elif args.queues:
        job_types = [q.strip() for q in args.queues.split(",") if q.strip()]
        unknown = [q for q in job_types if q not in known]
        if unknown:
            print(f"no handlers for {', '.join(unknown)} in this build (it handles: {', '.join(known)})",
                  file=sys.stderr)
            return 2
    else:
        print("name the queues (--queues verify,...) or --all", file=sys.stderr)
        return 2
    from .memory import limit_malloc_arenas

    limit_malloc_arenas(settings.malloc_arena_max)  # before the job and model threads start
    worker = make_worker(settings, job_types)
    worker.install_signal_handlers()
    stats = worker.run(until_idle=args.until_idle, max_seconds=args.max_seconds)
    logging.getLogger("actionproof.worker").info("worker stopped", extra={"stats": stats})
    return 0


def cmd_submit(args, settings: Settings) -> int:
    from queues.schemas import MessageError, parse_message

    from .app import publisher

    raw = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        print(f"{args.file}: not JSON ({e.msg} at line {e.lineno})", file=sys.stderr)
        return 2
    messages = data if isinstance(data, list) else [data]
    try:
        parsed = [parse_message(m) for m in messages]
    except MessageError as e:
        print(f"{args.file}: {e.code}: {e}", file=sys.stderr)
        return 2
    pub = publisher(settings)
    try:
        for m in parsed:
            pub.publish_job(m)
            print(m.job_id)
    finally:
        pub.connection.release()
    return 0


def cmd_status(args, settings: Settings) -> int:
    from queues.broker import connect, redact
    from queues.topology import Topology

    from .app import sessions
    from .ops import alert_counts, dumps, job_counts, queue_depths

    out = {"broker": redact(settings.broker_url), "database": _redact(settings.database_url)}
    with connect(settings.broker_url, lease_seconds=settings.lease_s) as conn:
        out["queues"] = queue_depths(conn, Topology(settings.queue_prefix))
    out["jobs"] = job_counts(sessions(settings))
    out["alerts"] = alert_counts(sessions(settings))
    if args.json:
        print(dumps(out))
        return 0
    print(f"broker   {out['broker']}\ndatabase {out['database']}\n")
    print(f"{'queue':<12}{'ready':>8}{'dead letters':>14}")
    for name, row in out["queues"].items():
        print(f"{name:<12}{row['ready']:>8}{row['dead_letters']:>14}")
    print("\njobs    " + (", ".join(f"{k} {v}" for k, v in sorted(out["jobs"].items())) or "none"))
    print("alerts  " + (", ".join(f"{k} {v}" for k, v in sorted(out["alerts"].items())) or "none"))
    return 0


def cmd_job(args, settings: Settings) -> int:
    from .app import sessions
    from .ops import dumps, job_detail

    detail = job_detail(sessions(settings), args.job_id)
    if detail is None:
        print(f"no job {args.job_id}", file=sys.stderr)
        return 1
    print(dumps(detail))
    return 0


def cmd_dlq(args, settings: Settings) -> int:
    from queues.broker import connect
    from queues.publisher import Publisher
    from queues.topology import Topology

    from .ops import dlq_list, dlq_replay, dumps

    topology = Topology(settings.queue_prefix)
    with connect(settings.broker_url, lease_seconds=settings.lease_s) as conn:
        if args.dlq_command == "list":
            rows = dlq_list(conn, topology, limit=args.limit)
            if args.json:
                print(dumps(rows))
            else:
                for r in rows:
                    print(f"{r['queue']:<10} {r['job_id'] or '?':<40} {r['status'] or '':<14} "
                          f"{r['error_code'] or '':<16} {r['error'] or ''}")
                print(f"{len(rows)} dead letter(s)")
            return 0
        if not args.all and not args.job_id:
            print("name a JOB_ID or --all", file=sys.stderr)
            return 2
        publisher = Publisher(conn, topology)
        replayed = dlq_replay(conn, topology, publisher, None if args.all else args.job_id)
        print(f"replayed {len(replayed)}: {' '.join(replayed)}")
        return 0 if replayed or args.all else 1


def cmd_cqi(args, settings: Settings) -> int:
    """Recompute and show one customer's CQI with every part and its evidence."""
    from scoring.periods import custom, iso_week, parse_iso_week, rolling_30_days

    from .app import sessions
    from .consumer import utcnow
    from .handlers.score import cqi_config, store_cqi
    from .scoring_data import customer_facts

    with sessions(settings)() as s, s.begin():
        facts = customer_facts(s, args.customer, settings.default_timezone)
        if facts is None:
            print(f"no customer {args.customer}", file=sys.stderr)
            return 1
        today = utcnow().astimezone(facts.tz).date()
        if args.period in (None, "rolling30"):
            period = rolling_30_days(dt.date.fromisoformat(args.as_of) if args.as_of else today)
        elif args.period == "week":
            period = iso_week(today)
        elif ":" in args.period:
            a, b = args.period.split(":", 1)
            period = custom(dt.date.fromisoformat(a), dt.date.fromisoformat(b), args.period)
        else:
            period = parse_iso_week(args.period)
        row, result = store_cqi(s, facts, period, cqi_config(settings), utcnow())
        out = {"customer_id": args.customer, "customer": facts.customer.name, "cqi": row.cqi, **row.details}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        print(f"{facts.customer.name} ({args.customer}) {period.label}: CQI {row.cqi}")
        for line in out.get("explain", []):
            print("  " + line)
    return 0


def cmd_suggest(args, settings: Settings) -> int:
    """Read the stored auto-fill suggestion (refreshed by the score worker)."""
    import time

    from sqlalchemy import select

    from models import ApSuggestion

    from .app import sessions

    factory = sessions(settings)
    query = select(ApSuggestion.body).where(ApSuggestion.customer_id == args.customer,
                                            ApSuggestion.action_type == args.action_type)
    timings = []
    for _ in range(2):  # the first read pays this process's connection and statement setup
        t0 = time.perf_counter()
        with factory() as s:
            body = s.scalar(query)
        timings.append((time.perf_counter() - t0) * 1000)
    if body is None:
        print(f"no suggestion for customer {args.customer} × {args.action_type} yet", file=sys.stderr)
        return 1
    body = {"customer_id": args.customer, **body, "read_ms": round(timings[1], 2),
            "first_read_ms": round(timings[0], 2)}
    print(json.dumps(body, ensure_ascii=False, indent=2 if not args.json else None, default=str))
    return 0


def _radar_rows(settings: Settings, period, customer_ids, rep_id):
    from sqlalchemy import select

    from models import CrmCustomer

    from .app import sessions
    from .cli_scoring import RadarRow
    from .consumer import utcnow
    from .periodic import customer_radar

    with sessions(settings)() as s, s.begin():
        q = select(CrmCustomer.id)
        if customer_ids:
            q = q.where(CrmCustomer.id.in_([int(c) for c in customer_ids]))
        if rep_id is not None:
            q = q.where(CrmCustomer.owner_rep_id == rep_id)
        rows = []
        for cid in s.scalars(q.order_by(CrmCustomer.id)):
            customer, inputs, _row = customer_radar(s, settings, cid, period, utcnow())
            rows.append(RadarRow(customer_id=cid, customer_name=customer.name, inputs=inputs))
    return rows


def _describe_factory(settings: Settings):
    """Names for alert messages: rep, manager, customer and action type of an alert event."""
    from models import CrmAction, CrmCustomer, CrmUser

    from .app import sessions

    factory = sessions(settings)

    def describe(body: dict) -> dict:
        with factory() as s:
            action = s.get(CrmAction, int(body["action_id"])) if body.get("action_id") else None
            customer = s.get(CrmCustomer, action.customer_id) if action else None
            rep = s.get(CrmUser, int(body["rep_id"])) if body.get("rep_id") else None
            manager = s.get(CrmUser, int(body["manager_id"])) if body.get("manager_id") else None
            # plan.incomplete events name several customers, one per red item.
            names = {str(i["customer_id"]): c.name for i in body.get("red") or []
                     if isinstance(i, dict) and (c := s.get(CrmCustomer, int(i["customer_id"]))) is not None}
            return {"rep_name": rep.name if rep else None, "manager_name": manager.name if manager else None,
                    "customer_name": customer.name if customer else None,
                    "action_type": action.type if action else None, "customer_names": names}

    return describe


def cmd_script_check(args, settings: Settings) -> int:
    """Script compliance of an in-store conversation against the store's golden nodes."""
    from sqlalchemy import select

    from models import ApSegment, ApTranscript, CrmStore, CrmStoreNode
    from nlp.packs import PackError, load_pack
    from scoring.script import ScriptNode, Utterance, check_script

    from .app import sessions

    with sessions(settings)() as s:
        store = s.get(CrmStore, args.store)
        transcript = s.get(ApTranscript, args.transcript)
        if store is None or transcript is None:
            print(f"no store {args.store} or no transcript {args.transcript}", file=sys.stderr)
            return 1
        rows = s.scalars(select(CrmStoreNode).where(CrmStoreNode.store_id == store.id).order_by(CrmStoreNode.seq))
        nodes = [ScriptNode(n.seq, n.name, tuple(n.script_lines or ())) for n in rows]
        source = "crm_store_nodes"
        if not nodes:  # the industry pack's default 达标话术
            try:
                pack = load_pack(store.industry)
            except PackError:
                pack = load_pack(None)
            nodes = [ScriptNode(n.seq, n.name, n.script_lines) for n in pack.store_nodes]
            source = f"industry pack {pack.id}"
        utterances = [Utterance(g.text, f"segment:{g.id}", g.speaker) for g in s.scalars(
            select(ApSegment).where(ApSegment.transcript_id == transcript.id).order_by(ApSegment.seq))]
    report = {"store_id": store.id, "transcript_id": transcript.id, "nodes_from": source,
              **check_script(nodes, utterances).to_json()}
    print(json.dumps(report, ensure_ascii=False, indent=2 if args.json else None, default=str))
    return 0


def cmd_sweep(args, settings: Settings) -> int:
    from . import outbox
    from .app import publisher, sessions
    from .plans import check_plans
    from .sweep import mark_overdue

    result = mark_overdue(sessions(settings), settings)
    plans = check_plans(sessions(settings), settings)
    pub = publisher(settings)
    try:
        sent = outbox.flush(sessions(settings), pub, ids=result.outbox_ids + plans.outbox_ids)
        sent += outbox.flush(sessions(settings), pub, older_than_s=30)
    finally:
        pub.connection.release()
    from .periodic import run_clock

    ids: list[int] = []
    clock = run_clock(sessions(settings), settings, outbox_ids=ids)
    if ids:
        pub = publisher(settings)
        try:
            sent += outbox.flush(sessions(settings), pub, ids=ids)
        finally:
            pub.connection.release()
    print(json.dumps({"overdue": result.overdue, "escalated": result.escalated, "plan_items_checked": plans.checked,
                      "plan_items_red": plans.red, "plan_reasons_missed": plans.missed, "events_sent": sent, **clock}))
    return 0


def cmd_check_photo(args, settings: Settings) -> int:
    from evidence.datum import Position
    from evidence.report import photo_report

    path = Path(args.file)
    try:
        size = path.stat().st_size
        if size > settings.max_photo_bytes:
            report = {"file": str(path), "problems": [f"media_too_large: {size} bytes (limit {settings.max_photo_bytes})"]}
            print(json.dumps(report, ensure_ascii=False, indent=2))
            return 1
        data = path.read_bytes()
    except OSError as e:
        print(json.dumps({"file": str(path), "problems": [f"media_missing: {e.strerror}"]}, ensure_ascii=False))
        return 1
    submitted = None
    if args.submitted_at:
        submitted = dt.datetime.fromisoformat(args.submitted_at)
        if submitted.tzinfo is None:
            print("--submitted-at needs an offset, e.g. 2026-03-02T10:00:00+08:00", file=sys.stderr)
            return 2
    near = None
    if args.near:
        try:
            lat, lon = (float(x) for x in args.near.split(","))
        except ValueError:
            print("--near takes LAT,LON", file=sys.stderr)
            return 2
        near = Position(lat, lon, args.datum)
    report = photo_report(data, submitted_at=submitted, near=near, radius_m=args.radius or settings.radius_m,
                          tolerance_s=settings.photo_time_tolerance_s)
    report = {"file": str(path), **report}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        for k, v in report.items():
            print(f"{k:<14} {v}")
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from .demo import run_demo

    return run_demo(settings, workers=args.workers)


def _redact(url: str) -> str:
    from queues.broker import redact

    return redact(url)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="actionproof", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="run the migrations to the newest schema").set_defaults(func=cmd_db_upgrade)

    w = sub.add_parser("worker", help="consume job queues")
    w.add_argument("--queues", help="comma-separated job types, e.g. verify")
    w.add_argument("--all", action="store_true", help="every job type this build handles")
    w.add_argument("--until-idle", type=float, default=None, metavar="SECONDS",
                   help="exit once no message arrived for this long")
    w.add_argument("--max-seconds", type=float, default=None)
    w.set_defaults(func=cmd_worker)

    s = sub.add_parser("submit", help="publish job messages from a JSON file (one object or a list), as the CRM would")
    s.add_argument("file")
    s.set_defaults(func=cmd_submit)

    st = sub.add_parser("status", help="queue depths, jobs by status, dead letters, alerts")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)

    j = sub.add_parser("job", help="one job's state and results")
    j.add_argument("job_id")
    j.set_defaults(func=cmd_job)

    d = sub.add_parser("dlq", help="dead-letter queues")
    d_sub = d.add_subparsers(dest="dlq_command", required=True)
    dl = d_sub.add_parser("list")
    dl.add_argument("--json", action="store_true")
    dl.add_argument("--limit", type=int, default=100)
    dr = d_sub.add_parser("replay")
    dr.add_argument("job_id", nargs="?")
    dr.add_argument("--all", action="store_true")
    for x in (dl, dr):
        x.set_defaults(func=cmd_dlq)

    sw = sub.add_parser("sweep", help="mark overdue alerts, escalate, publish pending events")
    sw.set_defaults(func=cmd_sweep)

    cp = sub.add_parser("check-photo", help="read one photo's EXIF and judge it (no broker or database)")
    cp.add_argument("file")
    cp.add_argument("--submitted-at", help="ISO-8601 with offset")
    cp.add_argument("--near", help="LAT,LON of the customer")
    cp.add_argument("--datum", default="wgs84", choices=["wgs84", "gcj02", "bd09"])
    cp.add_argument("--radius", type=float, default=None, help="metres (default ACTIONPROOF_RADIUS_M)")
    cp.add_argument("--json", action="store_true")
    cp.set_defaults(func=cmd_check_photo)

    c = sub.add_parser("cqi", help="recompute and show a customer's CQI with its evidence")
    c.add_argument("--customer", type=int, required=True)
    c.add_argument("--period", help="rolling30 (default), week, 2026-W10, or START:END dates")
    c.add_argument("--as-of", help="end day of the rolling 30 days (default today)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_cqi)

    sg = sub.add_parser("suggest", help="the auto-fill suggestion for a customer and action type")
    sg.add_argument("--customer", type=int, required=True)
    sg.add_argument("--action-type", required=True)
    sg.add_argument("--json", action="store_true")
    sg.set_defaults(func=cmd_suggest)

    sc = sub.add_parser("script-check", help="an in-store conversation against the store's required script lines")
    sc.add_argument("--store", type=int, required=True)
    sc.add_argument("--transcript", type=int, required=True)
    sc.add_argument("--json", action="store_true")
    sc.set_defaults(func=cmd_script_check)

    from .cli_analyze import add_analyze_command
    from .cli_scoring import add_scoring_commands

    add_analyze_command(sub)
    from .cli_speech import add_speech_commands

    add_speech_commands(sub)
    from .cli_ops import add_ops_commands

    add_ops_commands(sub)
    from .cli_voice import add_voice_commands

    add_voice_commands(sub)
    from .cli_schema import add_schema_command

    add_schema_command(sub)
    from .cli_plan import add_plan_command

    add_plan_command(sub)

    add_scoring_commands(sub, radar_rows=_radar_rows, describe_factory=_describe_factory)

    dm = sub.add_parser("demo", help="run sample actions through the whole pipeline on the embedded default")
    dm.add_argument("--workers", type=int, default=1)
    dm.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args, _settings())


if __name__ == "__main__":
    sys.exit(main())
