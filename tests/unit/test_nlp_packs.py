"""Industry packs: every packaged pack loads; a broken pack names its file and field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nlp.analyze import required_roles
from nlp.packs import (
    OBJECTION_TYPES, ROLE_CATEGORIES, STORE_NODES, PackError, available_industries, load_pack, load_pack_file,
    packs_dir,
)

INDUSTRIES = ("manufacturing", "industrial_distribution", "medical_devices", "education_equipment", "saas",
              "fmcg_distribution", "mother_baby_retail", "building_materials")


def test_the_eight_industries_are_packaged() -> None:
    assert set(INDUSTRIES) <= set(available_industries())


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_pack_is_complete(industry: str) -> None:
    pack = load_pack(industry)
    assert set(pack.titles.values()) <= set(ROLE_CATEGORIES)
    # A decision chain, need vocabulary and objection vocabulary of every type.
    assert {"decision_maker", "procurement", "technical", "finance"} <= set(pack.titles.values())
    assert len(pack.need_words) >= 20
    assert all(pack.objections[k] for k in OBJECTION_TYPES)
    assert pack.required_roles(None)
    assert pack.sources == ("base.json", f"{industry}.json")


def test_hospital_grade_changes_the_chain() -> None:
    assert required_roles("medical_devices", "三甲") == {"decision_maker", "approver", "procurement", "technical", "user"}
    assert required_roles("medical_devices", "社区") == {"decision_maker", "user"}
    # An unknown segment falls back to the industry's default chain.
    assert required_roles("medical_devices", "专科") == required_roles("medical_devices", None)
    assert required_roles("manufacturing", None) == {"decision_maker", "procurement", "technical"}


def test_unknown_industry() -> None:
    with pytest.raises(PackError, match="no pack for industry 'aerospace'"):
        load_pack("aerospace")
    # The CQI target chain stays computable: the base pack's roles.
    assert required_roles("aerospace") == required_roles(None)


def test_store_nodes_follow_the_funnel() -> None:
    nodes = load_pack("mother_baby_retail").store_nodes
    assert [n.node for n in nodes] == list(STORE_NODES)
    assert all(n.script_lines for n in nodes)


def test_a_new_industry_is_a_file(tmp_path: Path) -> None:
    shutil.copy(packs_dir() / "base.json", tmp_path / "base.json")
    (tmp_path / "aquaculture.json").write_text(json.dumps({
        "schema": "actionproof.pack/1", "id": "aquaculture", "name": "水产养殖",
        "roles": {"decision_maker": {"titles": ["场长"]}, "technical": {"titles": ["技术员"]}},
        "segments": {"default": {"required_roles": ["decision_maker", "technical"]}},
        "need_words": ["增氧机", "饲料"], "objections": {"price": ["饲料…贵"]},
    }, ensure_ascii=False), encoding="utf-8")
    pack = load_pack_file(tmp_path / "aquaculture.json")
    assert pack.titles["场长"] == "decision_maker" and pack.titles["总经理"] == "decision_maker"
    assert pack.required_roles("any") == {"decision_maker", "technical"}
    assert "饲料…贵" in pack.objections["price"] and "太贵" in pack.objections["price"]


def _broken(tmp_path: Path, name: str, patch: dict) -> Path:
    shutil.copy(packs_dir() / "base.json", tmp_path / "base.json")
    data = json.loads((packs_dir() / "saas.json").read_text(encoding="utf-8"))
    data["id"] = name
    data.update(patch)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"roles": {"boss": {"titles": ["老板"]}}}, r"bad1\.json: roles\.boss: unknown role category"),
        ({"roles": {"technical": {"titles": ["CTO", ""]}}}, r"bad2\.json: roles\.technical\.titles\[1\]: expected a non-empty"),
        ({"objections": {"quality": ["差"]}}, r"bad3\.json: objections\.quality: unknown objection type"),
        ({"segments": {"三甲": {"required_roles": ["ceo"]}}}, r"bad4\.json: segments\.三甲\.required_roles\[0\]: unknown role"),
        ({"schema": "actionproof.pack/0"}, r"bad5\.json: schema: expected 'actionproof.pack/1'"),
        ({"need_words": "能耗"}, r"bad6\.json: need_words: expected a list of strings"),
        ({"store_nodes": [{"seq": 2, "node": "entered", "name": "迎宾", "script_lines": ["欢迎"]}]},
         r"bad7\.json: store_nodes\[0\]\.seq: expected 1"),
        ({"colour": "red"}, r"bad8\.json: colour: unknown field"),
        ({"objections": {"price": ["…贵"]}}, r"bad9\.json: objections\.price\[0\]: … belongs between words"),
    ],
)
def test_validation_names_file_and_field(tmp_path: Path, patch: dict, message: str) -> None:
    name = "bad" + message[3]
    with pytest.raises(PackError, match=message):
        load_pack_file(_broken(tmp_path, name, patch))


def test_unreadable_pack_names_the_file(tmp_path: Path) -> None:
    shutil.copy(packs_dir() / "base.json", tmp_path / "base.json")
    (tmp_path / "oops.json").write_text('{"schema": ', encoding="utf-8")
    with pytest.raises(PackError, match=r"oops\.json: not JSON"):
        load_pack_file(tmp_path / "oops.json")
    (tmp_path / "renamed.json").write_text(json.dumps({"schema": "actionproof.pack/1", "id": "other", "name": "x"}),
                                           encoding="utf-8")
    with pytest.raises(PackError, match=r"renamed\.json: id: 'other' differs from the file name"):
        load_pack_file(tmp_path / "renamed.json")
