"""The demo's store loop: the brief's 7-node mother-and-baby store with 102 visitors today, its
funnel per stage and per node, and an in-store prompt after a guide completes 段数确认 (the real
handler in a `store` worker of this process)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import ApFunnelStep, ApJob, ApStorePrompt, CrmOrg, CrmStore, CrmStoreEvent, CrmStoreNode
from queues.publisher import job_message

from .app import make_worker, publisher
from .config import Settings
from .periodic import store_funnels

ORG = "demo-beibei"
NODES = [("迎宾进店", "进店", "欢迎光临贝贝母婴，宝宝多大啦？"), ("需求探询", "探询", "现在宝宝喝的是什么奶粉？"),
         ("段数确认", "探询", "宝宝几个月了，我帮您看看该喝几段"), ("产品推荐", "推荐", "这款有机一段奶粉是新西兰奶源，口碑最好"),
         ("试用体验", "推荐", "可以先拿个试吃装回去给宝宝试试"), ("异议处理", "异议处理", "开罐不满意可以换，我们是品牌授权店"),
         ("成交", "成交", "现在办会员有积分，帮您装好了")]
# Furthest node per visitor: 102 visitors, 87 reach 探询, 63 推荐, 41 异议处理, 39 成交 (the brief's figures).
FURTHEST = [1] * 15 + [2] * 12 + [3] * 12 + [4] * 10 + [5] * 12 + [6] * 2 + [7] * 39


def show_store(sessions, settings: Settings, now: dt.datetime) -> bool:
    """Print the store funnel and a prompt; True when both came out as the brief says."""
    start = now - dt.timedelta(minutes=len(FURTHEST) + 30)
    with sessions() as s, s.begin():
        s.add(CrmOrg(id=ORG, name="贝贝母婴连锁", timezone="Asia/Shanghai"))
        store = CrmStore(org_id=ORG, name="贝贝母婴 西湖店", industry="mother_baby_retail", chain_id="beibei")
        s.add(store)
        s.flush()
        s.add_all(CrmStoreNode(store_id=store.id, seq=i + 1, name=name, stage=stage, script_lines=[line])
                  for i, (name, stage, line) in enumerate(NODES))
        for v, last in enumerate(FURTHEST):
            won = last == 7
            # Every third buyer hesitated over the price of the organic formula.
            objection = "价格" if won and v % 3 == 0 else None
            s.add_all(CrmStoreEvent(store_id=store.id, visitor_id=f"m-{v:03d}", node_seq=n,
                                    at=start + dt.timedelta(seconds=20 * v + n),
                                    product="有机奶粉1段" if n >= 4 else None, objection=objection if n == 6 else None)
                      for n in range(1, last + 1) if not (v % 2 and n in (3, 5) and n != last))
        store_id = store.id
    local_day = now.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    store_funnels(sessions, settings, [local_day - dt.timedelta(days=1), local_day], now)
    with sessions() as s:
        steps = s.scalars(select(ApFunnelStep).where(ApFunnelStep.store_id == store_id, ApFunnelStep.day == local_day)
                          .order_by(ApFunnelStep.kind.desc(), ApFunnelStep.seq)).all()
    stages = [x for x in steps if x.kind == "stage"]
    print(f"\nStore funnel: 贝贝母婴 西湖店 (7 nodes, each declaring its stage), {local_day}")
    for x in stages:
        nodes = [f"{n.label} {n.reached}" for n in steps if n.kind == "node" and n.stage == x.step]
        pad = " " * (10 - 2 * len(x.label))  # labels are Chinese: two columns a character
        print(f"  {x.label}{pad}{x.reached:>4}   nodes: {', '.join(nodes) or '—'}")
    with sessions() as s, s.begin():
        # A new visitor: entered, asked about, 段数 confirmed — the guide taps 段数确认 on the pad.
        for n in (1, 2):
            s.add(CrmStoreEvent(store_id=store_id, visitor_id="m-new", node_seq=n, at=now - dt.timedelta(minutes=3 - n)))
        event = CrmStoreEvent(store_id=store_id, visitor_id="m-new", node_seq=3, at=now, product="有机奶粉1段",
                              objection="价格")
        s.add(event)
        s.flush()
        event_id = event.id
    pub = publisher(settings)
    msg = job_message("store.node.completed/1", ORG, store_event_id=event_id)
    pub.publish_job(msg)
    pub.connection.release()
    make_worker(settings, ["store"]).run(until_idle=0.5, max_seconds=60)
    with sessions() as s:
        prompt = s.scalar(select(ApStorePrompt).where(ApStorePrompt.store_event_id == event_id))
        job = s.get(ApJob, msg["job_id"])
    took = (job.finished_at - job.received_at).total_seconds() * 1000 if job and job.finished_at else None
    print(f"\nIn-store prompt: the guide completed 段数确认 with visitor m-new (有机奶粉1段, objection 价格) "
          f"→ store.prompt.{store_id}" + (f" (job {took:.0f} ms from receipt to stored)" if took is not None else ""))
    if prompt is None:
        print(f"  no prompt: job {job.status if job else 'missing'} {job.error_code if job else ''}")
        return False
    body = prompt.body
    print(f"  next: 「{body['next_node_name']}」 ({body['next_stage']})")
    print(f"  say:  {prompt.line}")
    for c in body["cases"]:
        print(f"  like visitor {c['visitor_id']} who bought {c['product'] or '?'} — same {' / '.join(c['matched'])}; "
              f"path {' → '.join(c['path'])}")
    expected = [102, 87, 63, 41, 39]
    return [x.reached for x in stages] == expected and prompt.status == "next" and len(body["cases"]) == 2
