"""docs/contract.md's worked example as CRM rows: a Zhejiang hardware-parts distributor's
customer, March 2026, eight touches (calls and visits with their transcripts, WeChat messages).

Used by the demo and the tests. The transcripts are stored as the transcribe worker would
store them; speech itself is exercised with real Whisper elsewhere.
"""
from __future__ import annotations

import datetime as dt

from models import (
    ApSegment, ApTranscript, CrmAction, CrmCallLog, CrmContact, CrmCustomer, CrmInventory, CrmMessage, CrmOrg,
    CrmQuote, CrmRecording, CrmUser,
)
from queues.publisher import job_message

CST = dt.timezone(dt.timedelta(hours=8))
LI_MOBILE = "139 0000 1111"

# (day, kind, lines): kind call/visit → an action with a transcript; chat → a WeChat message.
TOUCHES = [
    (2, "call", [("customer", "我们希望三月二十日前交付第一批货。"), ("rep", "我们预计三月二十五号能到。")]),
    (4, "visit", [("rep", "王总您好，给您带来了新方案。"), ("customer", "能耗一定要降下来。")]),
    (5, "chat:张伟", [("customer", "有没有IP65的型号？")]),
    (9, "call", [("rep", "李经理您好，我想跟您约一下时间过来拜访。"), ("customer", "好的，到时候你直接联系我。")]),
    (11, "visit", [("rep", "张工您看，这是新款的演示。"), ("customer", "我们需要兼容新国标的型号。")]),
    (16, "call", [("rep", "李经理，样品已经寄出了。"), ("customer", "好的，收到了我跟你说。")]),
    (18, "chat:李强", [("customer", "发票抬头改一下。")]),
    (20, "call", [("customer", "月底前一定要装好。"), ("rep", "好的，我们尽快安排。")]),
]


def seed(sessions, org_id: str) -> tuple[int, list[dict]]:
    """Create the organisation and its eight touches; returns (customer id, job messages to publish)."""
    with sessions() as s, s.begin():
        s.add(CrmOrg(id=org_id, name="浙江五金配件", timezone="Asia/Shanghai"))
        manager = CrmUser(org_id=org_id, name="陈经理", role="manager")
        s.add(manager)
        s.flush()
        rep = CrmUser(org_id=org_id, name="李明", role="rep", manager_id=manager.id)
        s.add(rep)
        s.flush()
        customer = CrmCustomer(org_id=org_id, name="杭州精密机械", industry="manufacturing", lat=30.27, lon=120.15,
                               datum="gcj02", owner_rep_id=rep.id)
        s.add(customer)
        s.flush()
        contacts = {name: CrmContact(customer_id=customer.id, name=name, title=title, role_tag=tag, phone=phone)
                    for name, title, tag, phone in [("王建国", "总经理", "decision_maker", None),
                                                    ("李强", "采购部经理", "procurement", LI_MOBILE),
                                                    ("张伟", "技术部工程师", "technical", None),
                                                    ("陈芳", "财务", "finance", None)]}
        s.add_all(contacts.values())
        s.add_all([CrmQuote(customer_id=customer.id, product="节能电机", amount_yuan=118000,
                            quoted_at=dt.datetime(2026, 2, 20, 10, tzinfo=CST)),
                   CrmInventory(product="节能电机", quantity=42)])
        s.flush()
        jobs = []
        for day, kind, lines in TOUCHES:
            at = dt.datetime(2026, 3, day, 10, 0, tzinfo=CST)
            if kind.startswith("chat:"):
                sender = contacts[kind.split(":")[1]]
                for sender_kind, text in lines:
                    m = CrmMessage(customer_id=customer.id, rep_id=rep.id, contact_id=sender.id, sender=sender_kind,
                                   channel="wechat", sent_at=at, text=text)
                    s.add(m)
                    s.flush()
                    jobs.append(job_message("message.submitted/1", org_id, message_id=m.id))
                continue
            action = CrmAction(org_id=org_id, customer_id=customer.id, rep_id=rep.id,
                               type="电话沟通" if kind == "call" else "上门拜访", submitted_at=at)
            s.add(action)
            s.flush()
            if kind == "call":
                s.add(CrmCallLog(action_id=action.id, counterpart_number=LI_MOBILE, started_at=at, duration_s=120))
            rec = CrmRecording(customer_id=customer.id, rep_id=rep.id, action_id=action.id, path=f"calls/{action.id}.wav",
                               layout="rep_left", recorded_at=at, consent=True, consent_source="app")
            s.add(rec)
            s.flush()
            tr = ApTranscript(org_id=org_id, recording_id=rec.id, customer_id=customer.id, rep_id=rep.id,
                              action_id=action.id, job_id=f"seed-{rec.id}", language="zh", duration_s=20.0,
                              speaker_mode="channels", text="".join(t for _, t in lines), model="seed",
                              recorded_at=at, created_at=at)
            s.add(tr)
            s.flush()
            s.add_all(ApSegment(org_id=org_id, transcript_id=tr.id, seq=i, start_s=5.0 * i, end_s=5.0 * i + 4,
                                speaker=who, text=text) for i, (who, text) in enumerate(lines))
            jobs.append(job_message("transcript.ready/1", org_id, transcript_id=tr.id))
        return customer.id, jobs
