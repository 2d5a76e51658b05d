"""The demo's two rigid loops: 李明's 今日3件必做 plan checked at 15:00 with a red item and the
manager's reason (a rep's own attempt refused), and a stage gate for 杭州明达五金 blocked, then
passed once the evidence is there. Runs after the demo's verdicts exist, on the same embedded
database and broker, with the real handlers in a worker of this process."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models import ApGateDecision, ApJob, CrmAttachment, CrmContact, CrmCustomer, CrmDailyPlan, CrmMessage, CrmUser
from queues.publisher import job_message

from .app import make_worker, publisher
from .config import Settings


def _run(settings: Settings) -> None:
    make_worker(settings, ["verify", "analyze"]).run(until_idle=1.0, max_seconds=120)


def _gate_lines(gate: ApGateDecision) -> list[str]:
    head = f"  request (job {gate.job_id}): {gate.status.upper()} — {gate.from_stage} → {gate.target_stage}, " \
           f"{gate.missing} of {len(gate.items)} items missing"
    return [head] + [f"    {'✓' if i['state'] == 'met' else '✗'} {i['name']} — {i['reason']}" for i in gate.items]


def show_loops(sessions, settings: Settings, org: str, now: dt.datetime) -> bool:
    """Print the plan and gate stories; True when each came out as the brief says it must."""
    from .cli_plan import render
    from .plans import check_plans, rep_plan_report
    from . import outbox

    tz = ZoneInfo("Asia/Shanghai")
    today = now.astimezone(tz).date()
    with sessions() as s, s.begin():
        li = s.scalar(select(CrmUser).where(CrmUser.org_id == org, CrmUser.name == "李明"))
        chen = s.scalar(select(CrmUser).where(CrmUser.org_id == org, CrmUser.name == "陈经理"))
        mingda = s.scalar(select(CrmCustomer).where(CrmCustomer.org_id == org, CrmCustomer.name == "杭州明达五金"))
        jinggong = s.scalar(select(CrmCustomer).where(CrmCustomer.org_id == org, CrmCustomer.name == "滨江精工机械"))
        plans = [CrmDailyPlan(org_id=org, rep_id=li.id, plan_date=today, seq=seq, customer_id=c.id, action_type=t,
                              target=target)
                 for seq, c, t, target in [(1, mingda, "上门拜访", "确认技术参数"), (2, mingda, "上门拜访", "现场看安装条件"),
                                           (3, jinggong, "电话沟通", "跟进报价反馈")]]
        s.add_all(plans)
        mingda.stage = "需求确认"
        s.flush()
        li_id, chen_id, chen_name, mingda_id, red_plan = li.id, chen.id, chen.name, mingda.id, plans[2].id

    # The workers' sweep checks at 15:00 local; the demo runs at any hour, so it asks as of 15:00 (or now, if later).
    check_at = max(now, dt.datetime.combine(today, dt.time(15), tz))
    checked = check_plans(sessions, settings, now=check_at)
    pub = publisher(settings)
    outbox.flush(sessions, pub, ids=checked.outbox_ids)
    # The manager answers twenty minutes after the check, in the story's day (the demo runs at any hour).
    answered = (check_at + dt.timedelta(minutes=20)).isoformat()
    good = pub.publish_job({**job_message("plan.reason/1", org, plan_id=red_plan, reason="资料未齐",
                                          note="客户报价单周五才到，电话改到周五", given_by=chen_id), "sent_at": answered})
    by_rep = pub.publish_job(job_message("plan.reason/1", org, plan_id=red_plan, reason="客户临时变更",
                                         given_by=li_id))
    first = pub.publish_job(job_message("stage.requested/1", org, customer_id=mingda_id, target_stage="方案报价",
                                        requested_by=li_id))
    pub.connection.release()
    _run(settings)

    with sessions() as s:
        report = rep_plan_report(s, settings, li_id, today)
        jobs = {k: s.get(ApJob, j) for k, j in (("good", good), ("rep", by_rep))}
    print(f"\nDaily plan (今日3件必做), checked as of {check_at.astimezone(tz):%H:%M}: "
          f"{checked.checked} items, {checked.red} red → plan.incomplete.{chen_id} to {chen_name}'s robot")
    print(render(report))
    print(f"reason from {chen_name} (the manager): job {jobs['good'].status}; "
          f"from 李明 (the rep himself): job {jobs['rep'].status} [{jobs['rep'].error_code}] {jobs['rep'].error}")

    # The CRM stores the signed form; the GM confirms the payment terms and a budget in WeChat.
    rel = "attachments/mingda-tech-spec-signed.pdf"
    (settings.media_root / rel).parent.mkdir(parents=True, exist_ok=True)
    (settings.media_root / rel).write_bytes(b"%PDF-1.4 demo: signed technical parameter form")
    with sessions() as s, s.begin():
        gm = s.scalar(select(CrmContact).where(CrmContact.customer_id == mingda_id,
                                               CrmContact.role_tag == "decision_maker"))
        s.add(CrmAttachment(customer_id=mingda_id, kind="tech_spec_signed", path=rel, uploaded_at=now))
        msgs = [CrmMessage(customer_id=mingda_id, rep_id=li_id, contact_id=gm.id, sender="customer", channel="wechat",
                           sent_at=now, text=t) for t in ("付款账期六十天，我们这边确认没问题。", "这个项目我们预算大概二十万。")]
        s.add_all(msgs)
        s.flush()
        msg_ids = [m.id for m in msgs]
    pub = publisher(settings)
    for m in msg_ids:
        pub.publish_job(job_message("message.submitted/1", org, message_id=m))
    pub.connection.release()
    _run(settings)  # the messages are analysed: who wrote them, the budget
    pub = publisher(settings)
    second = pub.publish_job(job_message("stage.requested/1", org, customer_id=mingda_id, target_stage="方案报价",
                                         requested_by=li_id))
    pub.connection.release()
    _run(settings)

    with sessions() as s:
        gates = [s.scalar(select(ApGateDecision).where(ApGateDecision.job_id == j)) for j in (first, second)]
    print("\nStage gate: 杭州明达五金 asks to enter 方案报价 (进入下一阶段)")
    if gates[0] is not None:
        print("\n".join(_gate_lines(gates[0])))
    print("  … the CRM stores the signed 技术参数确认单; 王建国 (decision maker) writes in WeChat: "
          "付款账期六十天，我们这边确认没问题。/ 这个项目我们预算大概二十万。 — and the CRM asks again:")
    if gates[1] is not None:
        print("\n".join(_gate_lines(gates[1])))
    red = [i for i in report["items"] if i["state"] == "red"]
    return (len(red) == 1 and red[0].get("reason") == "资料未齐" and jobs["rep"].error_code == "forbidden"
            and None not in gates and gates[0].status == "blocked" and gates[1].status == "passed")
