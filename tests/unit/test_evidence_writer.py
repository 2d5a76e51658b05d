"""Synthetic photos: real EXIF that read_photo reads back exactly."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from PIL import Image

from evidence.exif import read_photo
from evidence.photo_writer import make_photo

GPS_TIME = datetime(2026, 3, 2, 1, 29, 41, 250000, tzinfo=timezone.utc)
CAMERA = datetime(2026, 3, 2, 9, 29, 40)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF", "HEIF"])
def test_round_trip_every_format(fmt: str) -> None:
    data = make_photo(width=96, height=64, gps=(30.274118, 120.155107), gps_time_utc=GPS_TIME,
                      camera_time=CAMERA, software="MIUI V14", fmt=fmt)
    meta = read_photo(data)
    assert meta.problems == ()
    assert meta.format == ("HEIF" if fmt == "HEIF" else fmt)
    assert (meta.width, meta.height) == (96, 64)
    assert meta.gps_lat == pytest.approx(30.274118, abs=1e-6)
    assert meta.gps_lon == pytest.approx(120.155107, abs=1e-6)
    assert meta.gps_time_utc == GPS_TIME
    assert meta.gps_date_from_camera is False
    assert meta.camera_time == CAMERA
    assert (meta.make, meta.model, meta.software) == ("Xiaomi", "Redmi Note 12", "MIUI V14")


@pytest.mark.parametrize(("lat", "lon"), [(-33.856784, 151.215297), (40.689247, -74.044502), (-0.3713, -78.4678)])
def test_hemisphere_signs(lat: float, lon: float) -> None:
    meta = read_photo(make_photo(width=32, height=32, gps=(lat, lon)))
    assert meta.gps_lat == pytest.approx(lat, abs=1e-6)
    assert meta.gps_lon == pytest.approx(lon, abs=1e-6)


def test_aware_camera_time_writes_offset_and_gps_time_is_converted_to_utc() -> None:
    shanghai = timezone(timedelta(hours=8))
    meta = read_photo(make_photo(width=32, height=32, gps=(30.0, 120.0),
                                 gps_time_utc=GPS_TIME.astimezone(shanghai),
                                 camera_time=datetime(2026, 3, 2, 9, 29, 40, tzinfo=shanghai)))
    assert meta.offset_time == "+08:00"
    assert meta.camera_time == CAMERA
    assert meta.gps_time_utc == GPS_TIME


def test_without_gps() -> None:
    meta = read_photo(make_photo(width=32, height=32, camera_time=CAMERA, make="HUAWEI", model="P60"))
    assert meta.gps_lat is None and meta.gps_time_utc is None
    assert meta.problems == ("no GPS position", "no GPS time stamp")
    assert (meta.make, meta.model, meta.software) == ("HUAWEI", "P60", None)


def test_picture_looks_like_a_photo() -> None:
    image = Image.open(io.BytesIO(make_photo(color=(200, 120, 60))))
    pixels = np.asarray(image.convert("RGB"), dtype=np.float32)
    assert image.size == (640, 480)
    # Not a flat fill: a gradient plus shapes gives many distinct colours and contrast.
    assert pixels.std() > 20
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 200


def test_unsupported_format() -> None:
    with pytest.raises(ValueError, match="unsupported format"):
        make_photo(fmt="BMP")
