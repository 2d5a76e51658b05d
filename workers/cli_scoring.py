"""`actionproof notify` and `actionproof radar`: registered by the main CLI with

    add_scoring_commands(sub, alert_status_factory=..., radar_rows=..., describe_factory=...)

Database reads are the CLI owner's to wire: the factories take the `Settings` and return
callables; without them `notify` reads `ap_alerts.status` itself (read-only) and `radar`
draws only from `--from-json`.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from scoring.periods import Period, iso_week, local_day, parse_iso_week
from scoring.radar import RadarInputs, radar_axes, render_radar_png

from . import notifier as nt

log = logging.getLogger("actionproof.cli")


@dataclass(frozen=True)
class RadarRow:
    customer_id: Any
    customer_name: str
    inputs: RadarInputs


AlertStatusFactory = Callable[[Any], Callable[[Any], "str | None"]]
RadarRowsFn = Callable[[Any, Period, Sequence[Any], Any], Iterable[RadarRow]]


def db_alert_status(settings) -> Callable[[Any], str | None]:
    """`ap_alerts.status` of one alert (None when the row does not exist)."""
    from models import ApAlert

    from .app import sessions

    factory = sessions(settings)

    def status(alert_id: Any) -> str | None:
        with factory() as s:
            row = s.get(ApAlert, int(alert_id))
            return row.status if row is not None else None

    return status


def _radar_pictures(settings) -> Callable | None:
    """Names and charts of radar digests, read from the database (None for settings without one)."""
    if not getattr(settings, "database_url", None):
        return None
    from .radar_digest import db_radar_pictures

    return db_radar_pictures(settings)


def _webhooks(args, settings) -> dict[str, nt.WebhookTarget]:
    raw = args.webhooks
    if raw and raw.startswith("@"):
        raw = Path(raw[1:]).read_text(encoding="utf-8")
    if raw is None:
        raw = getattr(settings, "notify_webhooks", None)  # the lead's ACTIONPROOF_NOTIFY_WEBHOOKS
    try:
        return nt.parse_webhooks(raw)
    except ValueError as e:
        raise SystemExit(f"webhook configuration: {e}") from None


def cmd_notify(args, settings, *, alert_status_factory: AlertStatusFactory | None = None,
               describe_factory: Callable[[Any], Callable] | None = None) -> int:
    from .logs import setup_logging

    setup_logging(getattr(settings, "log_level", "INFO"))
    targets = _webhooks(args, settings)
    if not targets:
        print("no webhooks configured (ACTIONPROOF_NOTIFY_WEBHOOKS or --webhooks)", file=sys.stderr)
        return 2
    path = args.deliveries or getattr(settings, "notify_deliveries_path", None) or Path(settings.home) / "notify.db"
    notifier = nt.Notifier(
        targets=targets, deliveries=nt.SqliteDeliveryLog(path),
        alert_status=(alert_status_factory or db_alert_status)(settings),
        timezone=settings.default_timezone, max_attempts=args.max_attempts,
        describe=describe_factory(settings) if describe_factory else None,
        radar_pictures=_radar_pictures(settings), radar_max_images=getattr(settings, "radar_max_images", 10))
    stats = nt.run_notifier(settings.broker_url, notifier, prefix=settings.queue_prefix,
                            until_idle=args.until_idle, max_seconds=args.max_seconds, lease_s=settings.lease_s)
    print(json.dumps(dict(stats), ensure_ascii=False, sort_keys=True))
    return 0


def _rows_from_json(path: str) -> list[RadarRow]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = data if isinstance(data, list) else [data]
    out = []
    for r in rows:
        fields = {k: v for k, v in r.items() if k not in ("customer_id", "customer_name")}
        out.append(RadarRow(r["customer_id"], r.get("customer_name") or str(r["customer_id"]), RadarInputs(**fields)))
    return out


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_radar(args, settings, *, radar_rows: RadarRowsFn | None = None) -> int:
    import datetime as dt

    try:
        week = parse_iso_week(args.week) if args.week else iso_week(
            local_day(dt.datetime.now(dt.timezone.utc), settings.default_timezone))
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    if args.from_json:
        rows = _rows_from_json(args.from_json)
        if args.customer:
            wanted = {str(c) for c in args.customer}
            rows = [r for r in rows if str(r.customer_id) in wanted]
    elif radar_rows is not None:
        rows = list(radar_rows(settings, week, args.customer or [], args.rep))
    else:
        print("radar inputs are not wired to the database in this build: use --from-json FILE", file=sys.stderr)
        return 2
    out_dir = Path(args.out)
    report = []
    for row in rows:
        axes = radar_axes(row.inputs)
        png = render_radar_png(row.customer_name, axes, week.label)
        path = out_dir / f"radar-{row.customer_id}-{week.label}.png"
        _write_atomic(path, png)
        report.append({"customer_id": row.customer_id, "path": str(path), "bytes": len(png),
                       "axes": {k: v["value"] for k, v in axes.to_json()["axes"].items()},
                       "missing": list(axes.missing)})
    print(json.dumps({"week": week.label, "charts": report}, ensure_ascii=False))
    return 0


def add_scoring_commands(subparsers: argparse._SubParsersAction, *,
                         alert_status_factory: AlertStatusFactory | None = None,
                         describe_factory: Callable[[Any], Callable] | None = None,
                         radar_rows: RadarRowsFn | None = None) -> None:
    """Add `notify` and `radar` to the `actionproof` sub-commands (func(args, settings))."""
    n = subparsers.add_parser("notify", help="post alert events to the managers' WeCom/DingTalk group robots")
    n.add_argument("--webhooks", help="JSON mapping (or @file) overriding ACTIONPROOF_NOTIFY_WEBHOOKS")
    n.add_argument("--deliveries", help="SQLite file of handled event ids (default: $ACTIONPROOF_HOME/notify.db)")
    n.add_argument("--max-attempts", type=int, default=5)
    n.add_argument("--until-idle", type=float, default=None, metavar="SECONDS")
    n.add_argument("--max-seconds", type=float, default=None)
    n.set_defaults(func=lambda args, settings: cmd_notify(args, settings, alert_status_factory=alert_status_factory,
                                                           describe_factory=describe_factory))

    r = subparsers.add_parser("radar", help="render weekly customer health radar charts (PNG)")
    r.add_argument("--week", help="ISO week like 2026-W12 (default: this week in the org timezone)")
    r.add_argument("--customer", action="append", help="customer id (repeatable; default: all)")
    r.add_argument("--rep", type=int, help="one PNG per customer owned by this rep")
    r.add_argument("--from-json", help="radar inputs from a JSON file instead of the database")
    r.add_argument("--out", required=True, help="folder for radar-<customer>-<week>.png")
    r.set_defaults(func=lambda args, settings: cmd_radar(args, settings, radar_rows=radar_rows))

