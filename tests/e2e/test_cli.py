"""The `actionproof` command as a user runs it: real processes, embedded default."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fielddata import PHOTOS
from tests.support import ROOT, prepared, seed_world, settings_for

pytestmark = pytest.mark.timeout(180)


def cli(*args: str, env: dict | None = None, cwd: Path | None = None, check: bool = True):
    proc = subprocess.run([sys.executable, "-m", "workers.cli", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, cwd=cwd or ROOT, timeout=170)
    if check and proc.returncode != 0:
        raise AssertionError(f"actionproof {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def test_demo_prints_verdicts_calls_and_alerts_due_two_hours_later(tmp_path):
    out = cli("demo", env={"ACTIONPROOF_HOME": str(tmp_path / "home")}, cwd=tmp_path).stdout
    done, total = map(int, re.search(r"(\d+)/(\d+) jobs done", out).groups())
    # Every job is done but the recording without consent and the rep's reason for his own red plan item.
    assert done == total - 2 >= 6 + 8 + 2 and "1 refused for missing consent" in out
    assert "1 plan reason refused (the rep's own)" in out
    # The daily plan: checked at 15:00, one item red and explained by the manager; the rep may not.
    plan = out.split("Daily plan (今日3件必做)")[1].split("Stage gate:")[0]
    assert re.search(r"3 items, 1 red → plan\.incomplete\.\d+ to 陈经理", plan)
    assert re.search(r"RED +资料未齐：客户报价单周五才到，电话改到周五 \(in time\)", plan)
    assert re.search(r"day \d{4}-\d\d-\d\d: 2/3 done \(67 %\)", plan) and "[forbidden]" in plan
    # The stage gate: blocked with its missing items, then passed once the evidence is there.
    gate = out.split("Stage gate:")[1].split("CQI of")[0]
    blocked, passed = gate.split("… the CRM stores")
    assert "BLOCKED — 需求确认 → 方案报价" in blocked and "✗ 技术参数确认单已签收 — no tech_spec_signed attachment" in blocked
    assert "PASSED — 需求确认 → 方案报价, 0 of 5 items missing" in passed and "✗" not in passed
    assert "2 recordings transcribed" in out
    # The brief's 7-node store: counted per declared stage, two nodes per 探询 and 推荐; a prompt with cases.
    store = out.split("Store funnel:")[1].split("CQI of")[0]
    assert [int(n) for n in re.findall(r"^  \S+ +(\d+)   nodes:", store, re.M)] == [102, 87, 63, 41, 39]
    assert "需求探询 87, 段数确认 75" in store and "产品推荐 63, 试用体验 53" in store
    assert "next: 「产品推荐」 (recommended)" in store and "say:  这款有机一段奶粉是新西兰奶源，口碑最好" in store
    assert len(re.findall(r"like visitor m-\d+ who bought 有机奶粉1段 — same objection / product / path", store)) == 2
    # What the real model heard, and facts from it with the recording they came from.
    calls = out.split("Calls: what the speech model heard")[1].split("CQI of 杭州精密机械")[0]
    stereo, mono, refused = (int(n) for n in re.findall(r"^Recording (\d+):", calls, re.M))
    assert re.search(rf"fact from recording {stereo}: need \(customer\): 希望", calls)
    assert re.search(rf"fact from recording {stereo}: money \(rep, \w+\): 一百块钱 = 100 yuan", calls)
    assert re.search(r"\d s  rep +\S", calls) and re.search(r"\d s  customer +\S", calls)
    mono_part = calls.split(f"Recording {mono}:")[1].split(f"Recording {refused}:")[0]
    assert "身体健康" in mono_part and "mono, speakers unknown" in mono_part and "(one_voice)" in mono_part
    assert re.search(r"\d s  unknown +voice 0 ", mono_part)
    assert f"Recording {refused}: recording WITHOUT consent" in calls
    assert "job failed [consent_missing]" in calls and "media_missing" not in calls
    # The customer's CQI inputs before and after the calls were analysed.
    # The mono call nobody could attribute is left out of need anchoring (not a touch without a need).
    assert re.search(r"with content +0  →  2 ", calls) and re.search(r"anchoring +- .*→  100.0% \(1/1\)", calls)
    assert re.search(r"left out of anchoring +none  →  call:\d+ \(no speech attributed to the customer\)", calls)
    # Each stage is timed.
    stages = out.split("Stage times")[1]
    assert re.search(r"\d+\.\d s  1 worker process", stages) and re.search(r"transcribe +3 jobs", stages)
    # The worked example's CQI parts, a suggestion and a radar chart.
    assert "March 2026: 69.9" in out and "touch depth 0.750" in out and "need anchoring 0.625" in out
    assert "rhythm match 0.722" in out and "open expectation: 2026-03-31" in out
    assert "Auto-fill for the next 上门拜访" in out and "节能电机 42" in out
    png = re.search(r"Health radar 2026-W10 written to (\S+)", out).group(1)
    assert (tmp_path / png).read_bytes()[:4] == b"\x89PNG"
    verdicts = out.split("Verdicts")[1].split("Open verification alerts")[0]
    assert verdicts.count("待核实") == 5 and verdicts.count("verified") == 2
    assert re.search(r"photo_reused_bits=\d+ \(reused, action:1\)", verdicts)
    assert re.search(r"checkin_distance_m=1[78]\d\d", verdicts)
    assert re.search(r"photo_gps_time_s=4[12]\d", verdicts)
    assert "no_gps_timestamp" in verdicts and "+86139****1111" in verdicts
    alerts = out.split("Open verification alerts (5)")[1].split("Calls:")[0]
    rows = [r for r in alerts.splitlines() if re.match(r"^\d+\s", r)]
    assert len(rows) == 5
    for row in rows:
        raised, due = re.findall(r"\d\d-\d\d (\d\d:\d\d)", row)[:2]
        h1, m1 = map(int, raised.split(":"))
        h2, m2 = map(int, due.split(":"))
        assert ((h2 * 60 + m2) - (h1 * 60 + m1)) % (24 * 60) == 120


def test_check_photo_json_matches_the_oracle():
    photo = PHOTOS / "jpg" / "gps" / "DSCN0010.jpg"
    out = json.loads(cli("check-photo", str(photo), "--submitted-at", "2008-10-23T14:28:07+00:00",
                         "--near", "43.4674483,11.8851267", "--datum", "wgs84", "--json").stdout)
    assert abs(out["gps"]["lat"] - 43.4674483333333) < 1e-6 and out["gps"]["datum"] == "wgs84"
    assert out["gps_time_utc"].startswith("2008-10-23T14:27:07")
    assert out["make"] == "NIKON" and out["model"] == "COOLPIX P6000"
    rules = {r["rule"]: r for r in out["rules"]}
    assert rules["photo_gps_time"]["passed"] is True and round(rules["photo_gps_time"]["value"]) == 60
    assert rules["photo_distance"]["passed"] is True and rules["photo_distance"]["value"] < 1


def test_check_photo_on_garbage_gives_a_reason(tmp_path):
    bad = tmp_path / "not-a-photo.jpg"
    bad.write_text("hello, this is text")
    out = json.loads(cli("check-photo", str(bad), "--json").stdout)
    assert out["gps"] is None and out["problems"]


def test_submit_worker_job_status_dlq_round_trip(tmp_path):
    home = tmp_path / "home"
    env = {"ACTIONPROOF_HOME": str(home), "ACTIONPROOF_LOG_LEVEL": "INFO"}
    settings = settings_for(home, f"sqlite:///{home / 'actionproof.db'}", f"sqlite-lease:///{home / 'broker.db'}")
    cli("db", "upgrade", env=env)
    sessions = prepared(settings)
    world = seed_world(sessions, settings)
    action = world.visit(sessions, checkin_north_m=1200)
    good = {"schema": "action.submitted/1", "job_id": "crm-1", "org_id": world.org_id,
            "sent_at": dt.datetime.now(dt.timezone.utc).isoformat(), "action_id": action}
    (tmp_path / "good.json").write_text(json.dumps(good))
    assert cli("submit", str(tmp_path / "good.json"), env=env).stdout.strip() == "crm-1"
    (tmp_path / "bad.json").write_text(json.dumps({**good, "action_id": "x"}))
    bad = cli("submit", str(tmp_path / "bad.json"), env=env, check=False)
    assert bad.returncode == 2 and "action_id" in bad.stderr  # the CRM side is told at once
    # A malformed message that reached the queue anyway (another publisher) is dead-lettered.
    from queues.broker import connect
    from queues.publisher import Publisher
    from queues.topology import Topology

    with connect(settings.broker_url) as conn:
        Publisher(conn, Topology()).publish_raw("verify", json.dumps({**good, "job_id": "crm-2", "schema": "action.submitted/7"}))
    worker = cli("worker", "--queues", "verify", "--until-idle", "1.5", env=env)
    outcomes = [json.loads(line) for line in worker.stderr.splitlines() if line.startswith("{")]
    job_lines = [o for o in outcomes if o.get("job_id") in ("crm-1", "crm-2") and "status" in o]
    assert {(o["job_id"], o["status"]) for o in job_lines} == {("crm-1", "done"), ("crm-2", "rejected")}
    assert all({"duration_ms", "type", "error_code"} <= set(o) for o in job_lines)

    job = json.loads(cli("job", "crm-1", env=env).stdout)
    assert job["status"] == "done" and job["verdict"]["status"] == "pending_verification"
    assert job["alert"]["status"] == "open" and job["checks"]
    status = json.loads(cli("status", "--json", env=env).stdout)
    assert status["queues"]["verify"] == {"ready": 0, "dead_letters": 1}
    assert status["jobs"] == {"done": 1, "rejected": 1} and status["alerts"] == {"open": 1}
    listed = json.loads(cli("dlq", "list", "--json", env=env).stdout)
    assert [(x["job_id"], x["error_code"]) for x in listed] == [("crm-2", "unknown_schema")]
    assert "replayed 1" in cli("dlq", "replay", "crm-2", env=env).stdout
    status = json.loads(cli("status", "--json", env=env).stdout)
    assert status["queues"]["verify"] == {"ready": 1, "dead_letters": 0}


def test_plan_command_shows_states_reasons_and_rates(tmp_path):
    from models import CrmDailyPlan
    from workers.plans import check_plans

    home = tmp_path / "home"
    env = {"ACTIONPROOF_HOME": str(home)}
    settings = settings_for(home, f"sqlite:///{home / 'actionproof.db'}", f"sqlite-lease:///{home / 'broker.db'}")
    sessions = prepared(settings)
    world = seed_world(sessions, settings)
    day = dt.date(2026, 3, 2)
    with sessions() as s, s.begin():
        s.add(CrmDailyPlan(org_id=world.org_id, rep_id=world.rep_id, plan_date=day, seq=1,
                           customer_id=world.customer_id, action_type="报价", target="发正式报价"))
    before = cli("plan", "--rep", str(world.rep_id), "--date", "2026-03-02", env=env).stdout
    assert "RED (before the check)" in before and "发正式报价" in before and "day 2026-03-02: 0/1 done (0 %)" in before
    check_plans(sessions, settings, now=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc))  # 17:30 local
    after = json.loads(cli("plan", "--rep", str(world.rep_id), "--date", "2026-03-02", "--json", env=env).stdout)
    (item,) = after["items"]
    assert item["checked"] and item["state"] == "red" and item["reason"] is None
    assert item["reason_due_at"] == "2026-03-02T11:30:00+00:00"  # checked after 17:00: two hours from the check
    assert after["week"] == {"period": "2026-W10", "items": 1, "done": 0, "unverified": 0, "red": 1, "rate": 0.0,
                             "verified_rate": 0.0}
    assert cli("plan", "--rep", "999999", env=env, check=False).returncode == 1
    bad = cli("plan", "--rep", str(world.rep_id), "--date", "02/03/2026", env=env, check=False)
    assert bad.returncode == 2 and "not a date" in bad.stderr
