"""Media confinement: nothing outside the media root is ever read."""
import os

import pytest

from workers.errors import Failed
from workers.media import read_media, resolve_media


@pytest.fixture
def root(tmp_path):
    r = tmp_path / "media"
    (r / "photos").mkdir(parents=True)
    (r / "photos" / "a.jpg").write_bytes(b"\xff\xd8data")
    (tmp_path / "secret.txt").write_text("secret")
    return r


@pytest.mark.parametrize("path", ["../secret.txt", "photos/../../secret.txt", "/etc/passwd", "file:///etc/passwd",
                                  "http://example.com/a.jpg", "", "photos/a.jpg\x00.png", "~/x"])
def test_paths_outside_the_root_are_refused(root, path):
    with pytest.raises(Failed) as err:
        resolve_media(root, path)
    assert err.value.code == "media_outside_root"


def test_symlink_leading_out_is_refused(root, tmp_path):
    os.symlink(tmp_path / "secret.txt", root / "photos" / "link.jpg")
    with pytest.raises(Failed) as err:
        read_media(root, "photos/link.jpg", 1000)
    assert err.value.code == "media_outside_root"


def test_reads_missing_empty_and_too_large(root):
    assert read_media(root, "photos/a.jpg", 1000) == b"\xff\xd8data"
    with pytest.raises(Failed) as err:
        read_media(root, "photos/none.jpg", 1000)
    assert err.value.code == "media_missing"
    (root / "photos" / "empty.jpg").write_bytes(b"")
    with pytest.raises(Failed) as err:
        read_media(root, "photos/empty.jpg", 1000)
    assert err.value.code == "media_unreadable"
    with pytest.raises(Failed) as err:
        read_media(root, "photos/a.jpg", 3)
    assert err.value.code == "media_too_large"
