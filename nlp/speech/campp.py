"""CAM++ speaker embeddings in plain numpy: Kaldi fbank features and the network's forward pass.

The model is ModelScope's iic/speech_campplus_sv_zh_en_16k-common_advanced (3D-Speaker's CAM++,
Apache-2.0), its weights converted to float16 by scripts/convert_campp.py into
nlp/speech/weights/campplus_zh_en_16k.npz. No torch at run time: convolutions are im2col + one
BLAS matmul each, every BatchNorm that follows a convolution is folded into it at load, and the
ones that precede a convolution (DenseNet style: BN → ReLU → conv) are applied as one affine.

Two ways in:

* `Campp.embed(feats)` / `embed_batch` — the model exactly as trained: one utterance (or a batch
  of equal-length ones) → one 192-d embedding each (numpy vs torch: cosine ≥ 0.9999);
* `Campp.frames(feats)` + `Campp.pool(frames, spans)` — the frame-level network run once over a
  long stretch of speech, then statistics-pooled over any number of (overlapping) windows. With
  1.5 s windows every 0.75 s that is half the work of one forward pass per window and the windows
  share their edges; the attention context (CAM) is then a local ±1 s mean taken per 0.2 s
  block, as a 2 s window would see it (pooled windows vs one forward pass per window: the same
  clustering accuracy on the constructed calls, a third of the time).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000
N_MELS = 80
EMBEDDING_DIM = 192
FRAME_SHIFT_S = 0.01  # fbank frames
OUT_FRAME_S = 0.02  # frame-level network outputs (the TDNN layer has stride 2)
_BN_EPS = 1e-5
_SEG_LEN = 100  # CAM layer: segment pooling length in output frames (2 s)
_CTX_BLOCK = 10  # frames.frames(): the CAM context's time resolution (0.2 s)


# --------------------------------------------------------------------------- features

def _mel_banks(n_mels: int = N_MELS, n_fft: int = 512, sample_rate: int = SAMPLE_RATE,
               low_hz: float = 20.0, high_hz: float = 0.0) -> np.ndarray:
    """Kaldi's triangular mel filters (torchaudio.compliance.kaldi.get_mel_banks): (n_mels, n_fft//2 + 1)."""
    nyquist = 0.5 * sample_rate
    if high_hz <= 0.0:
        high_hz += nyquist

    def mel(f: np.ndarray | float) -> np.ndarray:
        return 1127.0 * np.log(1.0 + np.asarray(f, dtype=np.float64) / 700.0)

    n_bins = n_fft // 2
    mel_low, mel_high = mel(low_hz), mel(high_hz)
    delta = (mel_high - mel_low) / (n_mels + 1)
    b = np.arange(n_mels, dtype=np.float64)[:, None]
    left, center, right = mel_low + b * delta, mel_low + (b + 1) * delta, mel_low + (b + 2) * delta
    m = mel(sample_rate / n_fft * np.arange(n_bins, dtype=np.float64))[None, :]
    up = (m - left) / (center - left)
    down = (right - m) / (right - center)
    banks = np.maximum(0.0, np.minimum(up, down))
    # Kaldi has no weight on the Nyquist bin.
    return np.pad(banks, ((0, 0), (0, 1)))


_MEL = _mel_banks().astype(np.float32)
_WINDOW = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(400) / 399)) ** 0.85  # povey
_LOG_FLOOR = np.finfo(np.float32).eps


def fbank(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Kaldi-compatible log mel filterbank, (frames, 80) float32, without mean normalisation.

    25 ms povey windows every 10 ms (edges snipped), DC removed, pre-emphasis 0.97, 512-point
    power spectrum, 80 mel bins 20 Hz–8 kHz, natural log floored at float32 eps, no dither —
    torchaudio.compliance.kaldi.fbank's defaults, as 3D-Speaker computes CAM++'s input. Samples
    are floats in [-1, 1].
    """
    if sample_rate != SAMPLE_RATE:
        raise ValueError(f"CAM++ needs {SAMPLE_RATE} Hz audio, not {sample_rate} Hz")
    x = np.asarray(audio, dtype=np.float32).reshape(-1)
    if len(x) < 400:
        return np.zeros((0, N_MELS), dtype=np.float32)
    n = 1 + (len(x) - 400) // 160
    out = np.empty((n, N_MELS), dtype=np.float32)
    step = 4096  # frames at a time: bounded memory on long calls
    for a in range(0, n, step):
        b = min(n, a + step)
        frames = np.lib.stride_tricks.as_strided(x[a * 160:], shape=(b - a, 400),
                                                 strides=(160 * x.itemsize, x.itemsize)).astype(np.float64)
        frames -= frames.mean(axis=1, keepdims=True)
        # Pre-emphasis with the first sample repeated (Kaldi's replicate padding).
        frames[:, 1:] -= 0.97 * frames[:, :-1].copy()
        frames[:, 0] -= 0.97 * frames[:, 0]
        frames *= _WINDOW
        spec = np.fft.rfft(frames, n=512, axis=1)
        power = (spec.real ** 2 + spec.imag ** 2).astype(np.float32)
        out[a:b] = np.log(np.maximum(power @ _MEL.T, _LOG_FLOOR))
    return out


def normalise(feats: np.ndarray) -> np.ndarray:
    """Per-utterance mean subtraction (3D-Speaker's FBank(mean_nor=True))."""
    feats = np.asarray(feats, dtype=np.float32)
    return feats - feats.mean(axis=0, keepdims=True) if len(feats) else feats


# --------------------------------------------------------------------------- layers

@dataclass(frozen=True)
class _Conv:
    """A convolution with its folded BatchNorm: weight (out, k*in) ordered (k, in), bias (out,)."""

    w: np.ndarray
    b: np.ndarray | None
    k: int = 1
    stride: int = 1
    dilation: int = 1
    taps: np.ndarray | None = None  # (time taps × out, rest): one matmul, then shifted adds


@dataclass(frozen=True)
class _Affine:
    """A BatchNorm applied before a ReLU: y = x*scale + shift, per channel."""

    scale: np.ndarray
    shift: np.ndarray


@dataclass(frozen=True)
class _DenseLayer:
    pre: _Affine  # nonlinear1 (on the block's features so far)
    bottleneck: _Conv  # linear1 with nonlinear2's BN folded in (ReLU after)
    local: _Conv  # cam_layer.linear_local (k=3, dilated)
    ctx1: _Conv  # cam_layer.linear1
    ctx2: _Conv  # cam_layer.linear2


@dataclass(frozen=True)
class _Block:
    layers: tuple[_DenseLayer, ...]
    transit_pre: _Affine
    transit: _Conv


def _bn(p: dict[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    """BatchNorm (eval) as scale, shift (float64)."""
    var = p[f"{name}.running_var"].astype(np.float64)
    mean = p[f"{name}.running_mean"].astype(np.float64)
    scale = 1.0 / np.sqrt(var + _BN_EPS)
    if f"{name}.weight" in p:
        scale = scale * p[f"{name}.weight"].astype(np.float64)
    shift = -mean * scale
    if f"{name}.bias" in p:
        shift = shift + p[f"{name}.bias"].astype(np.float64)
    return scale, shift


def _affine(p: dict[str, np.ndarray], name: str) -> _Affine:
    scale, shift = _bn(p, name)
    return _Affine(scale.astype(np.float32)[:, None], shift.astype(np.float32)[:, None])


def _conv1d(p: dict[str, np.ndarray], name: str, bn: str | None = None, stride: int = 1,
            dilation: int = 1) -> _Conv:
    w = p[f"{name}.weight"].astype(np.float64)  # (out, in, k)
    b = p[f"{name}.bias"].astype(np.float64) if f"{name}.bias" in p else None
    if bn is not None:
        scale, shift = _bn(p, bn)
        w = w * scale[:, None, None]
        b = shift + (b * scale if b is not None else 0.0)
    out, cin, k = w.shape
    w2 = w.transpose(0, 2, 1).reshape(out, k * cin)
    taps = np.ascontiguousarray(w.transpose(2, 0, 1).reshape(k * out, cin), dtype=np.float32) \
        if k > 1 and stride == 1 else None
    return _Conv(np.ascontiguousarray(w2, dtype=np.float32),
                 None if b is None else b.astype(np.float32)[:, None], k, stride, dilation, taps)


def _conv2d(p: dict[str, np.ndarray], name: str, bn: str, stride: int = 1) -> _Conv:
    w = p[f"{name}.weight"].astype(np.float64)  # (out, in, kf, kt)
    scale, shift = _bn(p, bn)
    w = w * scale[:, None, None, None]
    out, cin, kf, kt = w.shape
    w2 = w.transpose(0, 2, 3, 1).reshape(out, kf * kt * cin)
    taps = w.transpose(3, 0, 2, 1).reshape(kt * out, kf * cin)  # rows (time tap, out), columns (freq tap, in)
    return _Conv(np.ascontiguousarray(w2, dtype=np.float32), shift.astype(np.float32)[:, None], kf, stride,
                 taps=np.ascontiguousarray(taps, dtype=np.float32))


def _apply_conv1d(c: _Conv, x: np.ndarray) -> np.ndarray:
    """x (in, B, T) → (out, B, T') with 'same' padding ((k-1)/2·dilation)."""
    cin, nb, t = x.shape
    if c.k == 1 and c.stride == 1:
        y = c.w @ x.reshape(cin, nb * t)
        t_out = t
    elif c.taps is not None:
        # One matmul for all taps, then each tap's output shifted into place: no im2col copy.
        out = c.w.shape[0]
        taps = (c.taps @ x.reshape(cin, nb * t)).reshape(c.k, out, nb, t)
        y = taps[c.k // 2].copy()
        for j in range(c.k):
            d = (j - c.k // 2) * c.dilation  # output t reads input t + d
            if j == c.k // 2 or abs(d) >= t:
                continue
            if d < 0:
                y[:, :, -d:] += taps[j, :, :, :t + d]
            else:
                y[:, :, :t - d] += taps[j, :, :, d:]
        if c.b is not None:
            y += c.b[:, :, None]
        return y
    else:
        pad = (c.k - 1) // 2 * c.dilation
        xp = np.pad(x, ((0, 0), (0, 0), (pad, pad)))
        t_out = (t + 2 * pad - c.dilation * (c.k - 1) - 1) // c.stride + 1
        cols = np.empty((c.k, cin, nb, t_out), dtype=np.float32)
        for j in range(c.k):
            s = j * c.dilation
            cols[j] = xp[:, :, s:s + c.stride * (t_out - 1) + 1:c.stride]
        y = c.w @ cols.reshape(c.k * cin, nb * t_out)
    if c.b is not None:
        y += c.b
    return y.reshape(-1, nb, t_out)


def _apply_conv2d(c: _Conv, x: np.ndarray) -> np.ndarray:
    """A 3×3 (or 1×1 shortcut) conv over (freq, time): x (in, F, B, T), padding 1, stride (stride, 1)."""
    cin, nf, nb, t = x.shape
    f_out = (nf + 2 - 3) // c.stride + 1
    if c.k == 1:
        y = c.w @ np.ascontiguousarray(x[:, ::c.stride]).reshape(cin, -1)
        y += c.b
        return y.reshape(-1, f_out, nb, t)
    xp = np.pad(x, ((0, 0), (1, 1), (0, 0), (1, 1)))
    co = c.w.shape[0]
    out = np.empty((co, f_out, nb, t), dtype=np.float32)
    bias = c.b.reshape(co, 1, 1)
    # Time tiles of ~5000 columns keep the buffers in cache (twice as fast as one big matmul); the
    # three frequency taps are copied (im2col), the three time taps are stacked in the weight's rows
    # and added shifted, a third of the copying of a full 3×3 im2col.
    tile = max(32, 5000 // f_out)
    for bi in range(nb):
        for a in range(0, t, tile):
            n = min(tile, t - a)
            m = n + 2
            cols = np.empty((3, cin, f_out, m), dtype=np.float32)
            for i in range(3):
                cols[i] = xp[:, i:i + c.stride * (f_out - 1) + 1:c.stride, bi, a:a + m]
            y = (c.taps @ cols.reshape(3 * cin, f_out * m)).reshape(3, co, f_out, m)
            o = y[0, :, :, 0:n] + y[1, :, :, 1:n + 1]
            o += y[2, :, :, 2:n + 2]
            o += bias
            out[:, :, bi, a:a + n] = o
    return out


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0, out=x)


# --------------------------------------------------------------------------- model

class Campp:
    """The CAM++ network with folded weights (load with `load_campp`)."""

    def __init__(self, p: dict[str, np.ndarray]) -> None:
        h = "head"
        self._head_conv1 = _conv2d(p, f"{h}.conv1", f"{h}.bn1")
        self._res: list[tuple[_Conv, _Conv, _Conv | None]] = []
        for layer in ("layer1", "layer2"):
            for i in (0, 1):
                n = f"{h}.{layer}.{i}"
                stride = 2 if i == 0 else 1
                short = _conv2d(p, f"{n}.shortcut.0", f"{n}.shortcut.1", stride) \
                    if f"{n}.shortcut.0.weight" in p else None
                if short is not None:
                    short = _Conv(short.w, short.b, 1, stride)
                self._res.append((_conv2d(p, f"{n}.conv1", f"{n}.bn1", stride), _conv2d(p, f"{n}.conv2", f"{n}.bn2"),
                                  short))
        self._head_conv2 = _conv2d(p, f"{h}.conv2", f"{h}.bn2", 2)
        x = "xvector"
        self._tdnn = _conv1d(p, f"{x}.tdnn.linear", f"{x}.tdnn.nonlinear.batchnorm", stride=2)
        self._blocks: list[_Block] = []
        for bi, dilation in ((1, 1), (2, 2), (3, 2)):
            layers = []
            j = 1
            while f"{x}.block{bi}.tdnnd{j}.linear1.weight" in p:
                n = f"{x}.block{bi}.tdnnd{j}"
                layers.append(_DenseLayer(
                    _affine(p, f"{n}.nonlinear1.batchnorm"),
                    _conv1d(p, f"{n}.linear1", f"{n}.nonlinear2.batchnorm"),
                    _conv1d(p, f"{n}.cam_layer.linear_local", dilation=dilation),
                    _conv1d(p, f"{n}.cam_layer.linear1"),
                    _conv1d(p, f"{n}.cam_layer.linear2")))
                j += 1
            self._blocks.append(_Block(tuple(layers), _affine(p, f"{x}.transit{bi}.nonlinear.batchnorm"),
                                       _conv1d(p, f"{x}.transit{bi}.linear")))
        self._out = _affine(p, f"{x}.out_nonlinear.batchnorm")
        self._dense = _conv1d(p, f"{x}.dense.linear", f"{x}.dense.nonlinear.batchnorm")
        self.channels = self._blocks[-1].transit.w.shape[0]

    # ---- frame level
    def _head(self, feats: np.ndarray) -> np.ndarray:
        """(B, T, 80) → (320, B, T)."""
        x = np.ascontiguousarray(feats.transpose(2, 0, 1))[None]  # (1, F, B, T)
        x = _relu(_apply_conv2d(self._head_conv1, x))
        for c1, c2, short in self._res:
            y = _relu(_apply_conv2d(c1, x))
            y = _apply_conv2d(c2, y)
            y += _apply_conv2d(short, x) if short is not None else x
            x = _relu(y)
        x = _relu(_apply_conv2d(self._head_conv2, x))
        c, f, nb, t = x.shape
        return x.reshape(c * f, nb, t)

    def _trunk(self, feats: np.ndarray, local_context: bool) -> np.ndarray:
        """(B, T, 80) normalised fbank → frame-level features (512, B, T') after out_nonlinear."""
        x = _relu(_apply_conv1d(self._tdnn, self._head(feats)))
        _, nb, t = x.shape
        for block in self._blocks:
            growth = block.layers[0].local.w.shape[0]
            total = x.shape[0] + growth * len(block.layers)
            buf = np.empty((total, nb, t), dtype=np.float32)
            c = x.shape[0]
            buf[:c] = x
            for layer in block.layers:
                h = buf[:c] * layer.pre.scale[:, :, None]
                h += layer.pre.shift[:, :, None]
                h = _relu(_apply_conv1d(layer.bottleneck, _relu(h)))
                y = _apply_conv1d(layer.local, h)
                y *= self._cam_gate(layer, h, local_context)
                buf[c:c + growth] = y
                c += growth
            h = buf * block.transit_pre.scale[:, :, None]
            h += block.transit_pre.shift[:, :, None]
            x = _apply_conv1d(block.transit, _relu(h))
        h = x * self._out.scale[:, :, None]
        h += self._out.shift[:, :, None]
        return _relu(h)

    @staticmethod
    def _context(h: np.ndarray, local_context: bool) -> np.ndarray:
        """The CAM layer's context per frame: (C, B, T) → (C, B, T) or broadcastable (C, B, nseg→T)."""
        c, nb, t = h.shape
        if local_context:
            # 2 × the mean over ±1 s (what a 2 s window's global + segment mean would be), at the
            # resolution of 10-frame blocks: the gate is computed per block, 10× fewer matmuls.
            nblk = -(-t // _CTX_BLOCK)
            pad = nblk * _CTX_BLOCK - t
            sums = np.pad(h, ((0, 0), (0, 0), (0, pad))).reshape(c, nb, nblk, _CTX_BLOCK).sum(axis=3)
            counts = np.full(nblk, float(_CTX_BLOCK))
            counts[-1] = _CTX_BLOCK - pad
            half = _SEG_LEN // (2 * _CTX_BLOCK)
            cs = np.concatenate([np.zeros((c, nb, 1)), np.cumsum(sums, axis=2, dtype=np.float64)], axis=2)
            cc = np.concatenate([[0.0], np.cumsum(counts)])
            lo = np.clip(np.arange(nblk) - half, 0, nblk)
            hi = np.clip(np.arange(nblk) + half + 1, 0, nblk)
            return (2.0 * (cs[:, :, hi] - cs[:, :, lo]) / (cc[hi] - cc[lo])).astype(np.float32)
        mean = h.mean(axis=2, keepdims=True)
        nseg = -(-t // _SEG_LEN)
        pad = nseg * _SEG_LEN - t
        sums = np.pad(h, ((0, 0), (0, 0), (0, pad))).reshape(c, nb, nseg, _SEG_LEN).sum(axis=3)
        counts = np.full(nseg, _SEG_LEN, dtype=np.float32)
        counts[-1] = _SEG_LEN - pad  # ceil_mode: the last segment averages only what it has
        seg = sums / counts
        return np.repeat(seg + mean, _SEG_LEN, axis=2)[:, :, :t]

    def _cam_gate(self, layer: _DenseLayer, h: np.ndarray, local_context: bool) -> np.ndarray:
        ctx = self._context(h, local_context)
        g = _relu(_apply_conv1d(layer.ctx1, ctx))
        g = _apply_conv1d(layer.ctx2, g)
        gate = 1.0 / (1.0 + np.exp(-g))
        if local_context:  # one gate per block of frames
            gate = np.repeat(gate, _CTX_BLOCK, axis=2)[:, :, :h.shape[2]]
        return gate

    # ---- public
    def embed_batch(self, feats: np.ndarray) -> np.ndarray:
        """A batch of equal-length utterances (B, T, 80), fbank as `fbank` gives it → (B, 192) embeddings.

        Each utterance is mean-normalised here, as 3D-Speaker does.
        """
        feats = np.asarray(feats, dtype=np.float32)
        if feats.ndim != 3 or feats.shape[2] != N_MELS or feats.shape[1] < 1:
            raise ValueError(f"expected (batch, frames, {N_MELS}) features, got {feats.shape}")
        feats = feats - feats.mean(axis=1, keepdims=True)
        x = self._trunk(feats, local_context=False)  # (512, B, T')
        t = x.shape[2]
        mean = x.mean(axis=2)
        std = x.std(axis=2, ddof=1) if t > 1 else np.full_like(mean, 1e-2)
        stats = np.concatenate([mean, std], axis=0)  # (1024, B)
        return (self._dense.w @ stats + self._dense.b).T.astype(np.float32)

    def embed(self, feats: np.ndarray) -> np.ndarray:
        """One utterance's fbank (T, 80) → its 192-d embedding (not normalised)."""
        return self.embed_batch(np.asarray(feats, dtype=np.float32)[None])[0]

    def frames(self, feats: np.ndarray) -> np.ndarray:
        """Frame-level features of one long stretch of speech: fbank (T, 80), normalised by the
        caller → (T', 512), one row per 20 ms (row j centred on fbank frame 2j)."""
        feats = np.asarray(feats, dtype=np.float32)
        if len(feats) < 2:
            return np.zeros((0, self.channels), dtype=np.float32)
        return np.ascontiguousarray(self._trunk(feats[None], local_context=True)[:, 0, :].T)

    def pool(self, frames: np.ndarray, spans: np.ndarray) -> np.ndarray:
        """Embeddings of windows [start, end) of frame-level rows (`frames` output) → (n, 192)."""
        spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        if len(spans) == 0:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        x = frames.astype(np.float64)
        c1 = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
        c2 = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(x * x, axis=0)])
        a, b = spans[:, 0], spans[:, 1]
        n = np.maximum(b - a, 1)[:, None].astype(np.float64)
        s1, s2 = c1[b] - c1[a], c2[b] - c2[a]
        mean = s1 / n
        var = np.maximum(s2 - s1 * mean, 0.0) / np.maximum(n - 1, 1)
        stats = np.hstack([mean, np.sqrt(var)]).astype(np.float32)  # (n, 1024)
        return (stats @ self._dense.w.T + self._dense.b.T).astype(np.float32)


def load_campp(data: bytes) -> Campp:
    """The model from the npz bytes of nlp/speech/weights/campplus_zh_en_16k.npz."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        params = {k: z[k] for k in z.files}
    if "xvector.dense.linear.weight" not in params:
        raise KeyError("not a CAM++ weights file (no xvector.dense.linear.weight)")
    return Campp(params)


__all__ = ["Campp", "EMBEDDING_DIM", "OUT_FRAME_S", "fbank", "load_campp", "normalise"]
