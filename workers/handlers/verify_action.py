"""`action.submitted/1`: judge an action's evidence, store the verdict, alert the manager."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from evidence.datum import Position
from evidence.deadline import due_at
from evidence.exif import PhotoMeta, read_photo
from evidence.flags import Flag, FlagConfig, judge_with_flags
from evidence.mock import EarlierCheckin, mock_location_signals
from evidence.phash import EarlierPhoto, PhotoHash, photo_hash, reuse_signals
from evidence.rules import ActionEvidence, Check, RulesConfig
from evidence.tamper import editing_signals
from evidence.travel import TrackPoint, impossible_travel
from models import (
    ApAlert, ApCheck, ApPhoto, ApVerdict, CrmAction, CrmCallLog, CrmContact, CrmCustomer, CrmCustomerPhone,
    CrmOrg, CrmPhoto, CrmUser, OPEN_ALERT_STATES,
)
from models.photo_lookup import near_photos
from models.stores import ApAltSite
from queues.events import ActionVerified, AlertCreated
from queues.schemas import ActionSubmitted

from ..consumer import JobContext, utcnow
from ..errors import Failed, not_found
from ..media import read_media

TRACK_WINDOW = dt.timedelta(hours=24)  # neighbours for impossible travel
MOCK_HISTORY = dt.timedelta(days=90)  # earlier check-ins compared for replayed positions


def rules_config(settings) -> RulesConfig:
    return RulesConfig(radius_m=settings.radius_m, photo_time_tolerance_s=settings.photo_time_tolerance_s,
                       required_evidence={k: frozenset(v) for k, v in settings.required_evidence.items()})


def flag_config(settings) -> FlagConfig:
    kwargs: dict[str, Any] = {"max_kmh": settings.max_kmh}
    if settings.flag_severity:
        from evidence.flags import DEFAULT_SEVERITY

        kwargs["severity"] = {**DEFAULT_SEVERITY, **settings.flag_severity}
    return FlagConfig(**kwargs)


def _position(lat: float | None, lon: float | None, datum: str | None) -> Position | None:
    if lat is None or lon is None:
        return None
    return Position(lat, lon, (datum or "wgs84").lower())


@dataclasses.dataclass
class _Photo:
    row: CrmPhoto
    meta: PhotoMeta
    hash: PhotoHash | None
    error: Failed | None = None

    @property
    def subject(self) -> str:
        return f"photo:{self.row.id}"


def _read_photo(ctx: JobContext, photo: CrmPhoto) -> _Photo:
    """Metadata and perceptual hash; a file that cannot be read is judged with its reason."""
    try:
        data = read_media(ctx.settings.media_root, photo.path, ctx.settings.max_photo_bytes)
    except Failed as e:
        return _Photo(photo, PhotoMeta(problems=(f"{e.code}: {e}",)), None, e)
    meta = read_photo(data, max_pixels=ctx.settings.max_image_pixels)
    return _Photo(photo, meta, photo_hash(data, max_pixels=ctx.settings.max_image_pixels))


def _with_media_reason(check: Check, unreadable: dict[str, Failed]) -> Check:
    # A missing or refused file is a different story for the manager than a photo without GPS.
    err = unreadable.get(check.subject or "")
    if err is None or check.passed:
        return check
    return dataclasses.replace(check, reason=err.code, detail=str(err))


def _near_photos(ctx: JobContext, action: CrmAction, h: PhotoHash, config: FlagConfig) -> list[EarlierPhoto]:
    """The organisation's photos of other actions within the pHash threshold of this one.

    Read through the pHash chunk indexes (models.photo_lookup): comparing every earlier hash made
    each verification slower as the organisation's history grew (see the README's Reliability).
    """
    rows = near_photos(ctx.session, action.org_id, h.hash_hex, config.phash_threshold,
                       exclude_action_id=action.id, algorithm=h.algorithm)
    return [EarlierPhoto(r.photo_id, r.action_id, r.phash, r.gps_time_utc, dhash_hex=r.dhash,
                         customer_id=r.customer_id) for r in rows]


def _flags(ctx: JobContext, action: CrmAction, customer: CrmCustomer, photos: list[_Photo], tz: ZoneInfo,
           now: dt.datetime, config: FlagConfig) -> list[Flag]:
    """Anti-cheat signals: reused or edited photos, impossible travel, mock locations."""
    s = ctx.session
    flags: list[Flag] = []
    for p in photos:
        if p.error is not None:
            continue
        if p.hash is not None:
            flags += reuse_signals(p.hash, _near_photos(ctx, action, p.hash, config), config=config,
                                   subject=p.subject, action_id=action.id, customer_id=customer.id)
        flags += editing_signals(p.meta, now=p.row.uploaded_at or now, config=config, subject=p.subject)

    # The rep's track around this action: other check-ins and geotagged photos.
    lo, hi = action.submitted_at - TRACK_WINDOW, action.submitted_at + TRACK_WINDOW
    track: list[TrackPoint] = []
    # Columns, not ORM objects: 90 days of a busy rep's check-ins are hundreds of rows per job.
    others = s.execute(select(CrmAction.id, CrmAction.submitted_at, CrmAction.checkin_lat, CrmAction.checkin_lon,
                              CrmAction.checkin_datum, CrmAction.checkin_accuracy_m)
                       .where(CrmAction.rep_id == action.rep_id, CrmAction.id != action.id,
                              CrmAction.submitted_at >= lo - MOCK_HISTORY, CrmAction.submitted_at <= hi,
                              CrmAction.checkin_lat.is_not(None))).all()
    for a in others:
        if lo <= a.submitted_at <= hi:
            track.append(TrackPoint(a.submitted_at, _position(a.checkin_lat, a.checkin_lon, a.checkin_datum),
                                    "checkin", f"action:{a.id}", a.checkin_accuracy_m))
    for p in s.execute(select(ApPhoto.photo_id, ApPhoto.gps_lat, ApPhoto.gps_lon, ApPhoto.gps_time_utc)
                       .where(ApPhoto.rep_id == action.rep_id, ApPhoto.action_id != action.id,
                              ApPhoto.gps_time_utc >= lo, ApPhoto.gps_time_utc <= hi)):
        if p.gps_lat is not None and p.gps_lon is not None:
            track.append(TrackPoint(p.gps_time_utc, Position(p.gps_lat, p.gps_lon, "wgs84"), "photo",
                                    f"photo:{p.photo_id}"))
    checkin = _position(action.checkin_lat, action.checkin_lon, action.checkin_datum)
    current = []
    if checkin is not None:
        current.append(("checkin", TrackPoint(action.submitted_at, checkin, "checkin", f"action:{action.id}",
                                              action.checkin_accuracy_m)))
    for p in photos:
        if p.meta.gps_lat is not None and p.meta.gps_lon is not None and p.meta.gps_time_utc is not None:
            current.append((p.subject, TrackPoint(p.meta.gps_time_utc, Position(p.meta.gps_lat, p.meta.gps_lon),
                                                  "photo", p.subject)))
    for subject, point in current:
        flag = impossible_travel(track, point, config=config, subject=subject)
        if flag is not None:
            flags.append(flag)

    if checkin is not None:
        history = [EarlierCheckin(a.submitted_at, _position(a.checkin_lat, a.checkin_lon, a.checkin_datum),
                                  f"action:{a.id}") for a in others if a.submitted_at < action.submitted_at]
        flags += mock_location_signals(checkin, action.checkin_accuracy_m,
                                       _position(customer.lat, customer.lon, customer.datum), history,
                                       action.submitted_at.astimezone(tz).date(), tz=tz, config=config,
                                       subject="checkin")
    return flags


def _dimension(value: int | None) -> int | None:
    # A damaged header can claim any size; the column is a 32-bit INTEGER on PostgreSQL.
    return value if isinstance(value, int) and 0 < value < 2**31 else None


def _store_photos(ctx: JobContext, action: CrmAction, photos: list[_Photo], now: dt.datetime) -> None:
    for p in photos:
        if p.error is not None:
            continue
        row = ctx.session.get(ApPhoto, p.row.id) or ApPhoto(photo_id=p.row.id)
        row.org_id, row.action_id, row.rep_id, row.customer_id = (action.org_id, action.id, action.rep_id,
                                                                  action.customer_id)
        h = p.hash
        row.phash, row.dhash = (h.hash_hex, h.dhash_hex) if h else (None, None)
        row.hash_algorithm = h.algorithm if h else None
        row.phash_reason = h.reason if h else None
        m = p.meta
        row.gps_lat, row.gps_lon, row.gps_time_utc = m.gps_lat, m.gps_lon, m.gps_time_utc
        row.make, row.model, row.software = m.make, m.model, (m.software or None) and m.software[:200]
        row.width, row.height, row.read_at = _dimension(m.width), _dimension(m.height), now
        ctx.session.add(row)


def handle_action_submitted(ctx: JobContext, msg: ActionSubmitted) -> dict[str, Any]:
    s, settings = ctx.session, ctx.settings
    action = s.get(CrmAction, msg.action_id)
    if action is None or action.org_id != msg.org_id:
        raise not_found(f"action {msg.action_id} of org {msg.org_id}", settings.not_found_window_s)
    customer = s.get(CrmCustomer, action.customer_id)
    if customer is None:
        raise not_found(f"customer {action.customer_id} of action {action.id}", settings.not_found_window_s)
    org = s.get(CrmOrg, action.org_id)
    tz = ZoneInfo(org.timezone if org and org.timezone else settings.default_timezone)
    photo_rows = s.scalars(select(CrmPhoto).where(CrmPhoto.action_id == action.id).order_by(CrmPhoto.id)).all()
    calls = s.scalars(select(CrmCallLog).where(CrmCallLog.action_id == action.id).order_by(CrmCallLog.id)).all()
    registered = list(s.scalars(select(CrmCustomerPhone.phone).where(CrmCustomerPhone.customer_id == customer.id)))
    registered += [p for p in s.scalars(select(CrmContact.phone).where(CrmContact.customer_id == customer.id)) if p]

    now = utcnow()
    photos = [_read_photo(ctx, p) for p in photo_rows]
    unreadable = {p.subject: p.error for p in photos if p.error is not None}
    evidence = ActionEvidence(
        action_type=action.type,
        submitted_at=action.submitted_at,
        customer=_position(customer.lat, customer.lon, customer.datum),
        radius_m=customer.radius_m,
        checkin=_position(action.checkin_lat, action.checkin_lon, action.checkin_datum),
        photos=[(p.subject, p.meta) for p in photos],
        call_numbers=[(f"call:{c.id}", c.counterpart_number) for c in calls],
        registered_numbers=registered,
        alt_sites=[(f"alt_site:{a.id}", Position(a.lat, a.lon, a.datum)) for a in s.scalars(
            select(ApAltSite).where(ApAltSite.customer_id == customer.id, ApAltSite.valid_from <= action.submitted_at,
                                    ApAltSite.valid_until >= action.submitted_at).order_by(ApAltSite.id))],
    )
    fconfig = flag_config(settings)
    flags = _flags(ctx, action, customer, photos, tz, now, fconfig)
    judgement = judge_with_flags(evidence, rules_config(settings), flags, fconfig)
    judgement = dataclasses.replace(judgement, checks=tuple(_with_media_reason(c, unreadable) for c in judgement.checks))
    _store_photos(ctx, action, photos, now)

    # A re-submission supersedes the earlier verdict and its open alert (docs/contract.md, "Verification").
    superseded_alerts = []
    for old in s.scalars(select(ApVerdict).where(ApVerdict.action_id == action.id,
                                                 ApVerdict.superseded_at.is_(None)).with_for_update()):
        old.superseded_at = now
    for alert in s.scalars(select(ApAlert).where(ApAlert.action_id == action.id,
                                                 ApAlert.status.in_(OPEN_ALERT_STATES)).with_for_update()):
        alert.status = "superseded"
        superseded_alerts.append(alert.id)
    s.flush()  # the partial unique index allows the new open alert only after this
    version = (s.scalar(select(func.max(ApVerdict.version)).where(ApVerdict.action_id == action.id)) or 0) + 1
    verdict = ApVerdict(org_id=action.org_id, action_id=action.id, version=version, job_id=ctx.job_id,
                        status=judgement.status, failed_rules=list(judgement.failed_rules),
                        rules_version=judgement.rules_version, risk_score=judgement.risk_score, judged_at=now)
    s.add(verdict)
    s.flush()
    s.add_all(_check_row(verdict, c) for c in judgement.checks)

    alert = None
    if judgement.status == "pending_verification":
        alert = _raise_alert(ctx, action, verdict, judgement.checks, now, tz)
    verified = ActionVerified(action_id=action.id, verdict=judgement.status, failed_rules=list(judgement.failed_rules),
                              verdict_version=version, rules_version=judgement.rules_version,
                              risk_score=judgement.risk_score)
    ctx.emit(action.org_id, verified.routing_key(), verified.body())
    return {"verdict_id": verdict.id, "version": version, "status": judgement.status,
            "failed_rules": list(judgement.failed_rules), "risk_score": judgement.risk_score,
            "alert_id": alert.id if alert else None, "superseded_alerts": superseded_alerts}


def _check_row(verdict: ApVerdict, c: Check) -> ApCheck:
    numeric = isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
    return ApCheck(org_id=verdict.org_id, verdict_id=verdict.id, action_id=verdict.action_id, rule=c.rule,
                   subject=c.subject, passed=c.passed, value_num=float(c.value) if numeric else None,
                   value_text=None if numeric or c.value is None else str(c.value)[:200], unit=c.unit,
                   threshold=c.threshold, reason=c.reason, detail=c.detail,
                   severity=getattr(c, "severity", None), ref=getattr(c, "ref", None))


def describe(c: Check) -> str:
    """`checkin_distance_m=1840`-style reason for alerts and the demo table."""
    if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.unit:
        text = f"{c.rule}_{c.unit}={c.value:.0f}"
    elif c.value not in (None, ""):
        text = f"{c.rule}={c.value}"
    else:
        text = c.rule
    extra = ", ".join(x for x in (c.reason, getattr(c, "ref", None)) if x)
    return f"{text} ({extra})" if extra else text


def _raise_alert(ctx: JobContext, action: CrmAction, verdict: ApVerdict, checks, now: dt.datetime,
                 tz: ZoneInfo) -> ApAlert:
    s, settings = ctx.session, ctx.settings
    rep = s.get(CrmUser, action.rep_id)
    reasons = [describe(c) for c in checks if not c.passed]
    alert = ApAlert(org_id=action.org_id, action_id=action.id, verdict_id=verdict.id, rep_id=action.rep_id,
                    manager_id=rep.manager_id if rep else None, status="open", reasons=reasons, created_at=now,
                    due_at=due_at(now, settings.alert_due_hours, clock=settings.alert_clock, timezone=str(tz)),
                    local_month=now.astimezone(tz).strftime("%Y-%m"))
    s.add(alert)
    s.flush()
    created = AlertCreated(alert_id=alert.id, action_id=action.id, rep_id=action.rep_id, manager_id=alert.manager_id,
                           due_at=alert.due_at, reasons=reasons)
    ctx.emit(action.org_id, created.routing_key(), created.body())
    return alert
