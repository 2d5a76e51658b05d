"""The daily must-do plan through real workers on both backends: the 15:00 check (done, 待核实 shown
unverified, red), plan.incomplete to the manager, reasons by the manager only, the 17:00 deadline
in the manager's process quality, completion rates in the BI views and `actionproof plan`."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text

from models import (
    ApAudit, ApJob, ApPlanItem, ApProcessQuality, ApQualityEvent, CrmAction, CrmCallLog, CrmCustomer, CrmDailyPlan,
    CrmOrg,
)
from queues.publisher import job_message
from scoring.periods import iso_week
from tests.integration.test_speakers_flow import _publish, _run
from tests.integration.test_verify_flow import _events, _listen, _publisher
from tests.support import HANGZHOU, seed_world
from workers import outbox
from workers.plans import check_plans, rep_plan_report

TZ = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 3, 2)  # far from the clock, so the workers' own sweep never checks it


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TZ).astimezone(dt.timezone.utc)


def _plan_world(sessions, settings):
    """A rep's plan of DAY: a visit to 明达 (done, verified), a call to 明达 (made to a wrong number:
    待核实) and a visit to a second customer that never happened (red)."""
    world = seed_world(sessions, settings)
    visit = world.visit(sessions, submitted_at=at(10))
    with sessions() as s, s.begin():
        other = CrmCustomer(org_id=world.org_id, name="滨江精工机械", industry="manufacturing", lat=HANGZHOU[0],
                            lon=HANGZHOU[1], datum="gcj02", owner_rep_id=world.rep_id)
        s.add(other)
        call = CrmAction(org_id=world.org_id, customer_id=world.customer_id, rep_id=world.rep_id, type="电话沟通",
                         submitted_at=at(11))
        s.add(call)
        s.flush()
        s.add(CrmCallLog(action_id=call.id, counterpart_number="139 0000 1111", duration_s=60, direction="out"))
        plans = [CrmDailyPlan(org_id=world.org_id, rep_id=world.rep_id, plan_date=DAY, seq=seq, customer_id=cid,
                              action_type=kind, target=target)
                 for seq, cid, kind, target in [(1, world.customer_id, "上门拜访", "确认技术参数"),
                                                (2, world.customer_id, "电话沟通", "约王总下周面谈"),
                                                (3, other.id, "上门拜访", "现场勘测安装条件")]]
        s.add_all(plans)
        s.flush()
        ids = [p.id for p in plans]
        other_id, call_id = other.id, call.id
    pub = _publisher(settings)
    for a in (visit, call_id):
        pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=a))
    pub.connection.release()
    _run(settings, "verify")
    return world, ids, other_id, (visit, call_id)


def _check(sessions, settings, now):
    result = check_plans(sessions, settings, now=now)
    pub = _publisher(settings)
    outbox.flush(sessions, pub, ids=result.outbox_ids)
    pub.connection.release()
    return result


def test_the_check_marks_items_and_tells_the_manager(backend, sessions):
    world, ids, other_id, (visit, call) = _plan_world(sessions, backend)
    conn, events = _listen(backend, "plan.incomplete.*")
    # Before the check time nothing is checked (and the report says the states are provisional).
    assert _check(sessions, backend, at(14, 59)).checked == 0
    with sessions() as s:
        early = rep_plan_report(s, backend, world.rep_id, DAY)
    assert [i["state"] for i in early["items"]] == ["done", "unverified", "red"] and not early["items"][0]["checked"]

    result = _check(sessions, backend, at(15, 1))
    assert (result.checked, result.red) == (3, 1)
    with sessions() as s:
        items = {i.plan_id: i for i in s.scalars(select(ApPlanItem))}
    assert [(items[i].state, items[i].action_id) for i in ids] == [("done", visit), ("unverified", call), ("red", None)]
    assert items[ids[2]].manager_id == world.manager_id
    assert items[ids[2]].reason_due_at == at(17)
    got = _events(events)
    conn.release()
    assert [k for k, _ in got] == [f"plan.incomplete.{world.manager_id}"]
    body = got[0][1]
    assert (body["rep_id"], body["plan_date"], body["items"], body["done"], body["unverified"]) == (
        world.rep_id, "2026-03-02", 3, 1, 1)
    assert [(r["plan_id"], r["customer_id"], r["target"]) for r in body["red"]] == [(ids[2], other_id, "现场勘测安装条件")]

    # A second check (another sweeper, a restart) checks and announces nothing again.
    assert _check(sessions, backend, at(15, 30)).checked == 0
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ApPlanItem)) == 3
        daily = s.execute(text("SELECT items, done, unverified, red, completion_rate, verified_rate "
                               "FROM v_plan_completion_daily WHERE rep_id = :r"), {"r": world.rep_id}).one()
        weekly = s.execute(text("SELECT iso_week, items, completion_rate FROM v_plan_completion_weekly "
                                "WHERE rep_id = :r"), {"r": world.rep_id}).one()
    assert tuple(daily[:4]) == (3, 1, 1, 1) and abs(daily[4] - 2 / 3) < 1e-9 and abs(daily[5] - 1 / 3) < 1e-9
    assert (weekly[0], weekly[1]) == ("2026-W10", 3) and abs(weekly[2] - 2 / 3) < 1e-9


def test_only_the_manager_explains_only_red_items(backend, sessions):
    settings = dataclasses.replace(backend, not_found_window_s=0.2)
    world, ids, _, _ = _plan_world(sessions, settings)
    _check(sessions, settings, at(15, 1))
    with sessions() as s, s.begin():  # the reasons below arrive now: keep the deadline ahead of them
        s.get(ApPlanItem, ids[2]).reason_due_at = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)

    def reason(plan_id, by, job, reason="资料未齐", note=None):
        return _publish(settings, {**job_message("plan.reason/1", world.org_id, plan_id=plan_id, reason=reason,
                                                 given_by=by, **({"note": note} if note else {})), "job_id": job})

    jobs = {
        "rep": reason(ids[2], world.rep_id, "r-rep"),
        "done": reason(ids[0], world.manager_id, "r-done"),
        "unknown": reason(999_999, world.manager_id, "r-unknown"),
        "manager": reason(ids[2], world.manager_id, "r-ok", note="客户技术资料周五才给"),
    }
    reason(ids[2], world.manager_id, "r-ok", note="客户技术资料周五才给")  # the same message delivered twice
    pub = _publisher(settings)  # as a CRM that skips validation would send it
    pub.publish_raw("verify", json.dumps({"schema": "plan.reason/1", "job_id": "r-other-no-note",
                                          "org_id": world.org_id, "sent_at": "2026-03-02T16:00:00+08:00",
                                          "plan_id": ids[2], "reason": "其他", "given_by": world.manager_id}))
    pub.connection.release()
    stats = _run(settings, "verify")
    assert stats["duplicate"] == 1
    with sessions() as s:
        got = {k: s.get(ApJob, j) for k, j in jobs.items()}
        item = s.get(ApPlanItem, ids[2])
        bad = s.get(ApJob, "r-other-no-note")
        audits = s.scalars(select(ApAudit).where(ApAudit.action == "plan_reason")).all()
    assert (got["rep"].status, got["rep"].error_code) == ("failed", "forbidden")
    assert "only the rep's manager" in got["rep"].error
    assert (got["done"].status, got["done"].error_code) == ("failed", "plan_item_not_red")
    assert "is done by action" in got["done"].error
    assert (got["unknown"].status, got["unknown"].error_code) == ("failed", "not_found")
    assert got["manager"].status == "done" and got["manager"].result["in_time"] is True
    assert (bad.status, bad.error_code) == ("rejected", "invalid_message") and "note" in bad.error
    assert (item.reason, item.note, item.reason_by) == ("资料未齐", "客户技术资料周五才给", world.manager_id)
    assert len(audits) == 1 and audits[0].object == f"plan:{ids[2]}"
    # Nothing was missed: the deadline passes without a quality event.
    assert _check(sessions, settings, at(18)).missed == 0


def test_a_red_item_without_a_reason_at_17_counts_against_the_manager(backend, sessions):
    from workers.periodic import process_quality

    world, ids, _, _ = _plan_world(sessions, backend)
    _check(sessions, backend, at(15, 1))
    assert _check(sessions, backend, at(16, 59)).missed == 0
    assert _check(sessions, backend, at(17, 1)).missed == 1
    assert _check(sessions, backend, at(17, 30)).missed == 0  # recorded once
    with sessions() as s:
        ev = s.scalar(select(ApQualityEvent).where(ApQualityEvent.kind == "plan_reason_missed"))
        assert ev.rep_id == world.rep_id and ev.detail["plan_id"] == ids[2] and ev.detail["manager_id"] == world.manager_id
    # A late reason is taken, but stays late.
    _publish(backend, job_message("plan.reason/1", world.org_id, plan_id=ids[2], reason="权限不足",
                                  given_by=world.boss_id))
    _run(backend, "verify")
    with sessions() as s:
        item = s.get(ApPlanItem, ids[2])
        assert item.reason == "权限不足" and item.reason_at > item.reason_due_at
    process_quality(sessions, backend, iso_week(DAY), at(18))
    with sessions() as s:
        row = s.scalar(select(ApProcessQuality).where(ApProcessQuality.subject_kind == "manager",
                                                      ApProcessQuality.subject_id == world.manager_id,
                                                      ApProcessQuality.week_label == "2026-W10"))
    assert row.details["plan"] == {"red": 1, "decided": 1, "in_time": 0, "missing_plan_ids": [ids[2]]}
    assert row.score == 0.0


def test_a_reason_counts_from_when_the_crm_sent_it_never_from_the_future(backend, sessions):
    world, ids, _, _ = _plan_world(sessions, backend)
    _check(sessions, backend, at(15, 1))
    # Sent at 16:50, before the 17:00 deadline, but handled only now (a backlog): in time.
    _publish(backend, {**job_message("plan.reason/1", world.org_id, plan_id=ids[2], reason="资料未齐",
                                     given_by=world.manager_id), "sent_at": at(16, 50).isoformat()})
    _run(backend, "verify")
    with sessions() as s:
        item = s.get(ApPlanItem, ids[2])
        assert item.reason_at == at(16, 50) and item.reason_at <= item.reason_due_at
        item.reason_at = None  # as if unanswered, for the second message
        s.commit()
    # A CRM clock a day ahead does not date the answer in the future.
    before = dt.datetime.now(dt.timezone.utc)
    ahead = (before + dt.timedelta(days=1)).isoformat()
    _publish(backend, {**job_message("plan.reason/1", world.org_id, plan_id=ids[2], reason="权限不足",
                                     given_by=world.manager_id), "sent_at": ahead})
    _run(backend, "verify")
    with sessions() as s:
        assert before <= s.get(ApPlanItem, ids[2]).reason_at <= dt.datetime.now(dt.timezone.utc)


def test_plans_naming_unknown_reps_or_customers_are_refused_clearly(backend, sessions):
    settings = dataclasses.replace(backend, not_found_window_s=0.2)
    world = seed_world(sessions, settings)
    stranger = seed_world(sessions, settings)  # another organisation
    with sessions() as s, s.begin():
        s.add_all([CrmDailyPlan(org_id=world.org_id, rep_id=world.rep_id, plan_date=DAY, seq=1,
                                customer_id=world.customer_id, action_type="上门拜访"),
                   CrmDailyPlan(org_id=world.org_id, rep_id=world.rep_id, plan_date=DAY, seq=2,
                                customer_id=stranger.customer_id, action_type="电话沟通")])
        s.add(CrmDailyPlan(org_id=world.org_id, rep_id=world.manager_id, plan_date=DAY, seq=1,
                           customer_id=world.customer_id, action_type="上门拜访"))
    jobs = {k: _publish(settings, job_message("plan.submitted/1", world.org_id, rep_id=rep, plan_date=day))
            for k, rep, day in [("bad_customer", world.rep_id, "2026-03-02"), ("unknown_rep", 999_999, "2026-03-02"),
                                ("other_org_rep", stranger.rep_id, "2026-03-02"), ("no_plan", world.rep_id, "2026-03-03"),
                                ("good", world.manager_id, "2026-03-02")]}
    _run(settings, "verify")
    with sessions() as s:
        got = {k: s.get(ApJob, j) for k, j in jobs.items()}
    assert (got["bad_customer"].status, got["bad_customer"].error_code) == ("failed", "invalid_plan")
    assert f"item 2 names customer {stranger.customer_id}, which is not a customer of org" in got["bad_customer"].error
    for k in ("unknown_rep", "other_org_rep", "no_plan"):
        assert (got[k].status, got[k].error_code) == ("failed", "not_found"), k
    assert got["good"].status == "done" and got["good"].result["check_at"] == "2026-03-02T15:00:00+08:00"
    # The check still stores the bad item, as invalid and out of the completion rate: nothing is lost.
    _check(sessions, settings, at(15, 1))
    with sessions() as s:
        states = dict(s.execute(select(ApPlanItem.seq, ApPlanItem.state).where(ApPlanItem.rep_id == world.rep_id)).all())
        report = rep_plan_report(s, settings, world.rep_id, DAY)
    assert states == {1: "red", 2: "invalid"}
    assert report["day"]["items"] == 1 and report["items"][1]["detail"].startswith(f"customer {stranger.customer_id}")


def test_the_org_timezone_sets_the_check_time(backend, sessions):
    settings = dataclasses.replace(backend, plan_check_time="09:30", plan_reason_deadline="11:00")
    world = seed_world(sessions, settings)
    with sessions() as s, s.begin():
        s.get(CrmOrg, world.org_id).timezone = "Asia/Urumqi"  # two hours behind Beijing time on the wall clock
        s.add(CrmDailyPlan(org_id=world.org_id, rep_id=world.rep_id, plan_date=DAY, seq=1,
                           customer_id=world.customer_id, action_type="上门拜访"))
    urumqi = ZoneInfo("Asia/Urumqi")
    before = dt.datetime.combine(DAY, dt.time(9, 29), urumqi)
    assert _check(sessions, settings, before).checked == 0
    assert _check(sessions, settings, before + dt.timedelta(minutes=2)).checked == 1
    with sessions() as s:
        item = s.scalar(select(ApPlanItem))
    assert item.reason_due_at == dt.datetime.combine(DAY, dt.time(11), urumqi)


def test_two_sweepers_at_once_check_and_announce_once(backend, sessions):
    import threading

    from models import ApOutbox

    world, ids, _, _ = _plan_world(sessions, backend)
    results, barrier = [], threading.Barrier(2)

    def sweeper():
        barrier.wait()
        results.append(check_plans(sessions, backend, now=at(15, 1)))

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r.checked for r in results) == [0, 3]
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ApPlanItem)) == 3
        assert s.scalar(select(func.count()).select_from(ApOutbox).where(ApOutbox.target.like("plan.incomplete.%"))) == 1
