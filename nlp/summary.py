"""录音摘要: a short Chinese summary of one touch, put together from the facts already extracted
(no text-generation model): who took part, needs, expected and promised dates, money,
objections and the next step. Pure: an Analysis in, a string out.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.analyze import Analysis

ROLE_NAMES = {"decision_maker": "决策人", "procurement": "采购", "technical": "技术", "finance": "财务", "user": "使用方",
              "approver": "审批人", "other": "其他"}
KIND_NAMES = {"budget": "预算", "quote": "报价", "price": "单价", "discount": "折扣"}
OBJECTION_NAMES = {"price": "价格", "delivery": "交期", "service": "服务", "other": "其他"}
_MAX_ITEMS = 3


def _day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def _yuan(x: float) -> str:
    if x >= 10_000:
        v = x / 10_000
        return f"{v:g}万" if v == round(v, 2) else f"{v:.2f}万"
    return f"{x:g}元"


def _money(m) -> str:
    if m.kind == "discount" and m.ratio is not None:
        return f"折扣{m.ratio * 10:g}折"
    amount = _yuan(m.yuan) if m.yuan is not None else f"{_yuan(m.yuan_low)}–{_yuan(m.yuan_high)}"
    per = f"/{m.unit}" if m.unit else ""
    return f"{KIND_NAMES.get(m.kind, m.kind)}{amount}{per}"


def _first(items, n: int = _MAX_ITEMS) -> list:
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out[:n]


def summarize(a: Analysis, on: dt.date) -> str:
    """The touch in a few Chinese sentences; empty parts are left out ("" when nothing was found)."""
    parts: list[str] = []
    people = _first(f"{r.mention}（{ROLE_NAMES.get(r.role, r.role)}）" for r in a.roles if r.took_part)
    if people:
        parts.append("参与：" + "、".join(people))
    needs = _first(n.text for n in a.needs)
    if needs:
        parts.append("需求：" + "；".join(needs))
    expected = [c for c in a.commitments if c.kind == "expected"]
    promised = [c for c in a.commitments if c.kind == "promised"]
    if expected:
        parts.append("客户期望：" + "；".join(_first(f"{_day(c.date)}（{c.phrase}）" for c in expected)))
    if promised:
        parts.append("销售承诺：" + "；".join(_first(
            f"{_day(c.date)}（{c.phrase}{'，约数' if c.vague else ''}）" for c in promised)))
    money = _first(_money(m) for m in a.money)
    if money:
        parts.append("金额：" + "；".join(money))
    objections = _first(f"{OBJECTION_NAMES.get(o.type, o.type)}（{o.text}）" for o in a.objections)
    if objections:
        parts.append("异议：" + "；".join(objections))
    step = _next_step(a, on)
    if step:
        parts.append("下一步：" + step)
    return "。".join(parts) + ("。" if parts else "")


def _next_step(a: Analysis, on: dt.date) -> str | None:
    """The rep's earliest promise still ahead; else the customer's earliest expectation; else an objection to answer."""
    ahead = [c for c in a.commitments if c.date >= on and not c.vague]
    for kind, label in (("promised", "兑现承诺"), ("expected", "满足客户期望")):
        dated = sorted((c for c in ahead if c.kind == kind), key=lambda c: c.date)
        if dated:
            return f"{_day(dated[0].date)}前{label}（{dated[0].phrase}）"
    if a.objections:
        return f"回应{OBJECTION_NAMES.get(a.objections[0].type, '其他')}异议"
    if a.needs:
        return "针对需求跟进方案"
    return None
