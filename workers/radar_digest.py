"""The notifier's view of a weekly radar digest: customer and rep names and the chart of each customer,
written under the media folder a web server publishes when a media base URL is configured (DingTalk
robots take images only by URL)."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Mapping

from models import CrmCustomer, CrmUser
from scoring.radar import RadarAxes, RadarInputs, render_radar_png

from .notifier import RadarPicture


def chart_name(org_id: str, digest_id: Any, customer_id: Any) -> str:
    """A file name that names no customer and cannot be walked by counting ids."""
    return hashlib.sha256(f"{org_id}:{digest_id}:{customer_id}".encode()).hexdigest()[:24] + ".png"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def db_radar_pictures(settings) -> Callable[[Mapping[str, Any], str], Mapping[int, RadarPicture]]:
    """Names from crm_customers / crm_users and a PNG per customer (for WeCom, or for DingTalk when the
    charts can be served under ACTIONPROOF_RADAR_MEDIA_BASE_URL)."""
    from .app import sessions

    factory = sessions(settings)
    base_url = (settings.radar_media_base_url or "").rstrip("/")
    folder = Path(settings.radar_media_dir or Path(settings.home) / "radar-media")

    def pictures(body: Mapping[str, Any], kind: str) -> Mapping[int, RadarPicture]:
        items = body.get("customers") or []
        ids = [int(i["customer_id"]) for i in items]
        with factory() as s:
            customers = {c.id: c for c in s.query(CrmCustomer).filter(CrmCustomer.id.in_(ids))}
            reps = {u.id: u.name for u in s.query(CrmUser).filter(
                CrmUser.id.in_({c.owner_rep_id for c in customers.values() if c.owner_rep_id}))}
        draw = kind == "wecom" or bool(base_url)
        out = {}
        for item in items:
            cid = int(item["customer_id"])
            c = customers.get(cid)
            if c is None or c.org_id != body.get("org_id"):
                continue  # another tenant's id in a forged event shows nothing of theirs
            png = url = None
            if draw:
                axes = RadarAxes(item.get("chain_coverage"), item.get("need_clarity"), item.get("budget_match"),
                                 {}, (), RadarInputs())
                png = render_radar_png(c.name, axes, str(body.get("week")))
                if kind == "dingtalk":
                    name = chart_name(c.org_id, body.get("digest_id"), cid)
                    _write_atomic(folder / str(body.get("week")) / name, png)
                    url = f"{base_url}/{body.get('week')}/{name}"
            out[cid] = RadarPicture(cid, c.name, reps.get(c.owner_rep_id), png if kind == "wecom" else None, url)
        return out

    return pictures
