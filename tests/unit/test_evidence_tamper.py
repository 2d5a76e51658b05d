"""Edited photos and camera clocks that disagree with GPS (photo_edited, camera_time_mismatch)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from evidence.exif import PhotoMeta, read_photo
from evidence.flags import HARD, SOFT, FlagConfig
from evidence.tamper import editing_signals, editor_in, parse_offset

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
GPS = datetime(2026, 3, 2, 1, 30, 5, tzinfo=timezone.utc)


def _meta(**changes) -> PhotoMeta:
    base = dict(format="JPEG", width=4000, height=3000, gps_lat=30.2741, gps_lon=120.1551, gps_time_utc=GPS,
                camera_time=datetime(2026, 3, 2, 9, 30, 4), make="Xiaomi", model="Redmi Note 12")
    base.update(changes)
    return PhotoMeta(**base)


def _flags(meta: PhotoMeta, now: datetime = NOW, config: FlagConfig = FlagConfig()) -> dict[str, object]:
    return {f.reason: f for f in editing_signals(meta, now=now, config=config, subject="photo:1")}


def test_clean_phone_photo_has_no_flags() -> None:
    assert editing_signals(_meta(), now=NOW) == []


@pytest.mark.parametrize("software", [
    "Adobe Photoshop CC 2019 (Windows)", "Adobe Photoshop Lightroom Classic 12.0", "美图秀秀", "MTXX",
    "醒图", "黄油相机", "Snapseed 2.0", "PicsArt", "Picsart Photo Studio", "GIMP 2.10.34", "VSCO", "Meitu 9.2",
    "Canva", "Facetune2", "BeautyCam",
])
def test_editor_software_is_hard(software: str) -> None:
    flags = _flags(_meta(software=software))
    assert set(flags) == {"editor_software"}
    flag = flags["editor_software"]
    assert (flag.rule, flag.severity, flag.value, flag.subject) == ("photo_edited", HARD, software, "photo:1")
    assert software in flag.detail


@pytest.mark.parametrize("software", [
    "Nikon Transfer 1.1 W", "HDR+ 1.0.570503588zd", "14.4.2", "00WW_3_380_SP02", "Canvas Camera 3",
    "Microsoft Windows Photo Gallery 6.0.6001.18000", "PMB Service Uploader", "Version 1.0", None, "",
])
def test_camera_firmware_and_transfer_tools_are_not_editors(software: str | None) -> None:
    assert editor_in(software, FlagConfig().editor_software) is None
    assert _flags(_meta(software=software)) == {}


def test_editor_list_is_configurable() -> None:
    config = FlagConfig(editor_software=("今日水印相机",))
    assert "editor_software" in _flags(_meta(software="今日水印相机 3.1"), config=config)
    assert _flags(_meta(software="Snapseed"), config=config) == {}


@pytest.mark.parametrize(("make", "model", "value"), [(None, None, "make,model"), ("Apple", None, "model"),
                                                      (None, "P60", "make")])
def test_missing_make_or_model_is_soft(make, model, value) -> None:
    flag = _flags(_meta(make=make, model=model))["no_camera_make_model"]
    assert (flag.rule, flag.severity, flag.value) == ("photo_edited", SOFT, value)


def test_not_an_image_gets_no_flags() -> None:
    assert editing_signals(PhotoMeta(problems=("not an image",)), now=NOW) == []


# --- camera clock vs GPS ----------------------------------------------------------


@pytest.mark.parametrize(("camera", "offset", "flagged"), [
    (datetime(2026, 3, 2, 9, 30, 4), None, False),  # China, +8 h, 1 s apart
    (datetime(2026, 3, 2, 9, 34, 0), None, False),  # clock 4 min fast: within 5 min
    (datetime(2026, 3, 2, 9, 40, 0), None, True),  # 10 min off any zone
    (datetime(2026, 3, 2, 7, 15, 5), None, False),  # Nepal +5:45
    (datetime(2026, 3, 2, 6, 45, 5), None, True),  # +5:15 is no zone
    (datetime(2026, 3, 2, 7, 0, 5), None, False),  # India +5:30
    (datetime(2026, 3, 1, 12, 10, 5), None, True),  # −13 h 20 min: no zone, not a whole day off
    (datetime(2026, 3, 2, 9, 30, 4), "+08:00", False),
    (datetime(2026, 3, 2, 9, 30, 4), "+07:00", True),  # the recorded offset rules
    (datetime(2026, 3, 1, 20, 30, 0), "-05:00", False),
])
def test_camera_clock_against_gps(camera: datetime, offset: str | None, flagged: bool) -> None:
    flags = _flags(_meta(camera_time=camera, offset_time=offset))
    assert ("clock_mismatch" in flags) is flagged
    if flagged:
        flag = flags["clock_mismatch"]
        assert (flag.rule, flag.severity, flag.unit, flag.threshold) == ("camera_time_mismatch", SOFT, "s", 300.0)
        assert flag.value > 300


def test_clock_mismatch_value_and_detail() -> None:
    flag = _flags(_meta(camera_time=datetime(2026, 3, 2, 9, 40, 5)))["clock_mismatch"]
    assert flag.value == pytest.approx(600.0)
    assert "UTC+08:00" in flag.detail and "10 min 0 s off" in flag.detail


def test_whole_day_difference_is_a_date_mismatch() -> None:
    # The field-data DSCN photos: camera date one day before the GPS date, time of day at +2 h.
    flag = _flags(_meta(camera_time=datetime(2026, 3, 1, 3, 31, 37)))["date_mismatch"]
    assert flag.rule == "camera_time_mismatch" and flag.severity == SOFT
    assert flag.value == pytest.approx(86400 - 92)
    assert "differ by 1 day" in flag.detail and "UTC+02:00" in flag.detail


def test_org_zone_catches_whole_hour_shifts() -> None:
    # A GPS time moved by an hour passes "any zone"; an org in China can demand +8.
    shifted = _meta(camera_time=datetime(2026, 3, 2, 8, 30, 5))  # looks like +7
    assert _flags(shifted) == {}
    assert "clock_mismatch" in _flags(shifted, config=FlagConfig(camera_offsets_h=(8.0,)))


def test_gps_date_from_camera_is_still_compared() -> None:
    meta = _meta(gps_date_from_camera=True, camera_time=datetime(2026, 3, 2, 9, 50, 0))
    assert "clock_mismatch" in _flags(meta)


@pytest.mark.parametrize(("ahead_s", "flagged"), [(0, False), (299, False), (301, True), (86400, True)])
def test_gps_time_in_the_future_is_hard(ahead_s: int, flagged: bool) -> None:
    gps = NOW + timedelta(seconds=ahead_s)
    camera = (gps + timedelta(hours=8)).replace(tzinfo=None)
    flags = _flags(_meta(gps_time_utc=gps, camera_time=camera))
    assert ("gps_time_future" in flags) is flagged
    if flagged:
        flag = flags["gps_time_future"]
        assert (flag.severity, flag.value) == (HARD, pytest.approx(ahead_s))


def test_camera_time_in_the_future_in_every_zone() -> None:
    meta = _meta(gps_time_utc=None, camera_time=datetime(2026, 3, 3, 12, 0, 0))
    assert "camera_time_future" in _flags(meta)
    # 10:00 local on 2 March can be now somewhere (UTC+14 is 20:00 on 1 March UTC).
    assert _flags(_meta(gps_time_utc=None, camera_time=datetime(2026, 3, 2, 10, 0, 0))) == {}


def test_naive_now_is_utc() -> None:
    assert editing_signals(_meta(), now=NOW.replace(tzinfo=None)) == []


@pytest.mark.parametrize(("text", "hours"), [("+08:00", 8), ("-05:00", -5), ("+0545", 5.75), ("+14:00", 14),
                                             ("+15:00", None), ("8", None), (None, None), ("+08:61", None)])
def test_parse_offset(text: str | None, hours: float | None) -> None:
    got = parse_offset(text)
    assert (got.total_seconds() / 3600 if got is not None else None) == hours


def test_severity_is_configurable() -> None:
    config = FlagConfig(severity={"photo_edited": "soft", "camera_time_mismatch": "hard"})
    flags = _flags(_meta(software="Photoshop", camera_time=datetime(2026, 3, 2, 9, 50)), config=config)
    assert flags["editor_software"].severity == SOFT
    assert flags["clock_mismatch"].severity == HARD


# --- the field-data photos --------------------------------------------------------------


REAL = {
    "jpg/gps/DSCN0010.jpg": {"date_mismatch"},
    "jpg/hdr/iphone_hdr_NO.jpg": set(),
    "jpg/mobile/HMD_Nokia_8.3_5G.jpg": set(),  # OffsetTimeOriginal +03:00, 1 s apart
    "exiftool/Google.jpg": set(),  # +02:00, GPS fix 101 s before the shot
    "exiftool/Apple.jpg": set(),  # no offset, +1 h and 6 s
    "exiftool/GPS.jpg": {"editor_software"},  # Adobe Photoshop 7.0; GPS date from the camera
    "jpg/Canon_40D.jpg": {"editor_software"},  # GIMP 2.4.5
    "jpg/tests/30-type_error.jpg": {"editor_software", "no_camera_make_model"},
    "heic/mobile/HMD_Nokia_8.3_5G_hdr.heif": {"no_camera_make_model"},  # a real phone HEIF without Make
    "heic/mobile/iphone_13_pro_max.HEIC": set(),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_field_photos(field_data: Path, name: str) -> None:
    meta = read_photo((field_data / "photos" / name).read_bytes())
    assert set(_flags(meta, now=datetime(2026, 3, 2, tzinfo=timezone.utc))) == REAL[name]
