"""Retail stores through the database: daily funnels from store events, script compliance."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from models import ApFunnel, ApSegment, ApTranscript, CrmCustomer, CrmOrg, CrmRecording, CrmStore, CrmStoreEvent, CrmStoreNode, CrmUser
from tests.e2e.test_cli import cli
from tests.support import prepared, settings_for
from workers.periodic import store_funnels

CST = dt.timezone(dt.timedelta(hours=8))


def test_store_funnel_and_script_check(tmp_path):
    home = tmp_path / "home"
    settings = settings_for(home, f"sqlite:///{home / 'actionproof.db'}", f"sqlite-lease:///{home / 'broker.db'}")
    sessions = prepared(settings)
    day = dt.date(2026, 3, 7)
    with sessions() as s, s.begin():
        s.add(CrmOrg(id="baby", name="母婴连锁", timezone="Asia/Shanghai"))
        store = CrmStore(org_id="baby", name="西湖店", industry="mother_baby_retail")
        s.add(store)
        s.flush()
        s.add_all([CrmStoreNode(store_id=store.id, seq=i + 1, name=name, script_lines=lines) for i, (name, lines) in
                   enumerate([("进店", ["欢迎光临，请随便看看"]), ("探询", ["宝宝现在多大了"]),
                              ("推荐", ["这款奶粉是进口的"]), ("异议处理", ["可以先买小罐试试"]), ("成交", ["我帮您开单"])])])
        # Three visitors: all enter, two are probed, one gets to a recommendation and closes.
        t = dt.datetime(2026, 3, 7, 10, 0, tzinfo=CST)
        for visitor, nodes in (("v1", [1, 2, 3, 4, 5]), ("v2", [1, 2]), ("v3", [1])):
            s.add_all(CrmStoreEvent(store_id=store.id, visitor_id=visitor, node_seq=n,
                                    at=t + dt.timedelta(minutes=n)) for n in nodes)
        rep = CrmUser(org_id="baby", name="店员小王", role="rep")
        s.add(rep)
        s.flush()
        customer = CrmCustomer(org_id="baby", name="门店顾客", owner_rep_id=rep.id)
        s.add(customer)
        s.flush()
        rec = CrmRecording(customer_id=customer.id, rep_id=rep.id, path="store/1.wav", layout="mono", consent=True)
        s.add(rec)
        s.flush()
        tr = ApTranscript(org_id="baby", recording_id=rec.id, customer_id=customer.id, job_id="seed", language="zh",
                          duration_s=30, speaker_mode="unknown", text="", model="seed", created_at=t)
        s.add(tr)
        s.flush()
        # As the badge recorder's ASR heard it: 临 → 林 (a homophone), no closing line.
        s.add_all(ApSegment(org_id="baby", transcript_id=tr.id, seq=i, start_s=i * 3.0, end_s=i * 3.0 + 2,
                            speaker="unknown", text=text) for i, text in
                  enumerate(["您好，欢迎光林，请随便看看。", "宝宝现在多大了？", "这款奶粉是进口的，口碑很好。"]))
        store_id, transcript_id = store.id, tr.id
    assert store_funnels(sessions, settings, [day], dt.datetime.now(dt.timezone.utc)) == 1
    with sessions() as s:
        f = s.scalar(select(ApFunnel).where(ApFunnel.store_id == store_id))
        assert (f.day, f.entered, f.probed, f.recommended, f.objection_handled, f.closed) == (day, 3, 2, 1, 1, 1)

    out = json.loads(cli("script-check", "--store", str(store_id), "--transcript", str(transcript_id), "--json",
                         env={"ACTIONPROOF_HOME": str(home)}).stdout)
    lines = {m["line"]: m for n in out["nodes"] for m in n["lines"]}
    assert lines["欢迎光临，请随便看看"]["passed"] and lines["欢迎光临，请随便看看"]["method"] == "homophone"
    assert lines["这款奶粉是进口的"]["passed"] and not lines["我帮您开单"]["passed"]
    assert out["lines_passed"] == 3 and out["lines_total"] == 5 and out["nodes_from"] == "crm_store_nodes"
