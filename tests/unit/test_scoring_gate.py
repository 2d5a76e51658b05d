"""Stage lists and gate decisions (scoring/stages, scoring/gate.py): plain values, no database."""
from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from scoring.gate import (
    AttachmentFact, Evidence, Fact, GateError, PhotoFact, TextFact, decide, says, stages_to_check,
)
from scoring.stages import HERE, StageError, load_stages, parse_stages, shipped_packs

NOW = dt.datetime(2026, 3, 20, 2, 0, tzinfo=dt.timezone.utc)
BASE = json.loads((HERE / "base.json").read_text(encoding="utf-8"))


def _full() -> Evidence:
    return Evidence(
        photos=(PhotoFact(1, 10, "现场勘测", NOW, True, True),),
        attachments=(AttachmentFact(2, "tech_spec_signed", NOW),),
        texts=(TextFact("message:3", "message", "customer", "账期六十天我们确认没问题", NOW),),
        facts=(Fact("mention:4", "took_part", NOW, "decision_maker"), Fact("money:5", "budget", NOW)))


def test_the_default_pack_has_the_briefs_items_in_order():
    stages = load_stages(None)
    assert stages.pack == "base" and stages.names() == ("初步接触", "需求确认", "方案报价", "商务谈判", "签约成交")
    quote = stages.stages[2]
    assert [i.name for i in quote.checklist][:3] == ["技术参数确认单已签收", "付款账期条款已邮件确认", "安装条件现场照片已上传"]
    assert len(quote.checklist) == 5
    assert load_stages("medical_devices") == stages  # a pack without its own stage file uses base
    for pack in shipped_packs():
        load_stages(pack)


def test_all_evidence_passes_and_each_missing_piece_blocks_with_its_reason():
    stages = load_stages(None)
    ok = decide(stages, "需求确认", "方案报价", _full())
    assert ok.status == "passed" and ok.stages_checked == ("方案报价",)
    assert {i.id: i.evidence for i in ok.items}["site_photo"] == ("photo:1",)
    blocked = decide(stages, "需求确认", "方案报价", Evidence(
        photos=(PhotoFact(1, 10, "上门拜访", NOW, True, False, ("photo_distance_m=1840 (too_far)",)),
                PhotoFact(6, 11, "上门拜访", NOW, None, None)),
        attachments=(AttachmentFact(2, "tech_spec_signed", NOW, "media_missing: gone"),),
        texts=(TextFact("message:3", "message", "rep", "账期六十天您确认一下", NOW),),
        facts=(Fact("mention:4", "took_part", NOW, "procurement"),)))
    reasons = {i.id: i.reason for i in blocked.items}
    assert blocked.status == "blocked" and len(blocked.missing) == 5
    assert reasons["site_photo"] == "photo 1 fails photo_distance_m=1840 (too_far); photo 6 not verified yet"
    assert reasons["tech_spec_signed"] == "attachment 2 (tech_spec_signed): media_missing: gone"
    assert "no customer message saying 账期" in reasons["payment_terms_confirmed"]  # the rep's own words do not count
    assert reasons["decision_maker_involved"] == "no decision_maker person of the customer took part"
    assert reasons["budget_known"] == "no customer budget said"


def test_skipping_stages_owes_their_evidence_and_going_back_owes_none():
    stages = load_stages(None)
    assert [s.id for s in stages_to_check(stages, None, "方案报价")] == ["需求确认", "方案报价"]
    assert stages_to_check(stages, "签约成交", "需求确认") == ()
    back = decide(stages, "商务谈判", "需求确认", Evidence())
    assert back.status == "passed" and back.items == () and "move back" in back.note
    assert [s.id for s in stages_to_check(stages, "旧阶段", "商务谈判")] == ["商务谈判"]  # unknown current stage
    with pytest.raises(GateError, match="not a stage of pack base"):
        stages_to_check(stages, None, "付款")
    with pytest.raises(GateError, match="already at stage"):
        stages_to_check(stages, "方案报价", "方案报价")


def test_voice_notes_match_by_pinyin():
    assert says("客户张期确认了", (("账期",), ("确认",)))  # 张期: the transcript's homophone of 账期
    assert not says("客户说价格太高", (("账期",),))
    stages = load_stages(None)
    need = decide(stages, "初步接触", "需求确认", Evidence(
        texts=(TextFact("transcript:9", "voice", None, "王总说他们需要兼容新国标的型号", NOW),),
        facts=(Fact("mention:4", "took_part", NOW, "technical"),)))
    assert need.status == "passed" and {i.id: i.evidence for i in need.items}["need_stated"] == ("transcript:9",)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["stages"].append({"id": "初步接触"}), "listed twice"),
    (lambda d: d["stages"][2]["checklist"][0]["evidence"].append({"kind": "fax"}), "is not one of"),
    (lambda d: d["stages"][2]["checklist"][0].update(evidence=[]), "at least one 'evidence' rule"),
    (lambda d: d["stages"][2]["checklist"][1]["evidence"][1].update(terms=[]), "needs terms"),
    (lambda d: d["stages"][2]["checklist"][3]["evidence"][0].update(roles=["ceo"]), r"unknown \['ceo'\]"),
    (lambda d: d["stages"][3]["checklist"][0].update(id="site_photo"), "used twice"),
    (lambda d: d.update(stages=[]), "empty"),
])
def test_the_validator_names_what_is_wrong(change, message):
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(StageError, match=message):
        parse_stages(data, "base.json")


def test_a_stages_dir_overrides_the_shipped_lists(tmp_path):
    mine = copy.deepcopy(BASE)
    mine["pack"] = "saas"
    mine["stages"] = mine["stages"][:2]
    (tmp_path / "saas.json").write_text(json.dumps(mine, ensure_ascii=False), encoding="utf-8")
    assert load_stages("saas", tmp_path).names() == ("初步接触", "需求确认")
    with pytest.raises(StageError, match="no base.json"):
        load_stages("manufacturing", tmp_path)
