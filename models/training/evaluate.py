"""Pixel scorer for shapes-world clips, the eval prompt set, and the quick eval run while training.

The scoring rules here are the ones models/README.md specifies for the project's Java eval:

1. Classify every pixel to the nearest palette colour (Euclidean RGB, 0..255, palette.json).
2. Background colour: the most frequent class over the 2-pixel border ring of all frames.
3. Object colour: the most frequent class among the remaining pixels, if it covers at least 2% of
   the frame on average; else "none" (counts as wrong).
4. Object mask per frame: pixels of the object class. Frames whose mask is under half the median
   area, or with 6 or more mask pixels on the outermost pixel ring (cut by the frame edge),
   are skipped for shape (unless every frame is cut).
5. Shape: fill ratio = mask area / bounding-box area (box from the 2nd to 98th percentile of the
   mask's pixel coordinates), median over frames: < 0.76 triangle, > 0.92 square, else circle
   (measured on clips through the VAE: triangle 0.63-0.71, circle 0.81-0.89, square 0.95-1.0).
6. Motion: least-squares slope of the mask centroid against frame index (px/frame) over frames
   with at least half the median area; if both |vx| and |vy| are under 0.35 px/frame -> still;
   otherwise the axis with the larger |slope| and its sign (x: left/right, y: up/down, y grows
   downwards).
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import shapes_world as sw

HERE = Path(__file__).resolve().parent
PALETTE_RGB = np.array([sw.PALETTE[c] for c in sw.COLOURS], np.float32)  # 0..255

FILL_TRIANGLE_MAX = 0.76
FILL_SQUARE_MIN = 0.92
STILL_MAX_SPEED = 0.35
MIN_OBJECT_FRACTION = 0.02
EDGE_PIXELS = 6


def score_clip(video01: np.ndarray) -> dict:
    """video [F,H,W,3] in 0..1 -> {'object': colour, 'background': colour, 'shape': .., 'motion': ..}."""
    f, h, w, _ = video01.shape
    rgb = video01.reshape(-1, 3) * 255.0
    d = ((rgb[:, None, :] - PALETTE_RGB[None]) ** 2).sum(-1)
    cls = d.argmin(1).reshape(f, h, w)
    border = np.ones((h, w), bool)
    border[2:-2, 2:-2] = False
    bg = int(np.bincount(cls[:, border].ravel(), minlength=len(sw.COLOURS)).argmax())
    counts = np.bincount(cls.ravel(), minlength=len(sw.COLOURS)).astype(np.float64)
    counts[bg] = 0
    obj = int(counts.argmax())
    result = {"background": sw.COLOURS[bg], "object": "none", "shape": "none", "motion": "none"}
    if counts[obj] / (f * h * w) < MIN_OBJECT_FRACTION:
        return result
    result["object"] = sw.COLOURS[obj]
    mask = cls == obj
    areas = mask.reshape(f, -1).sum(1)
    med = np.median(areas)
    fills, cut_fills, cx, cy, ts = [], [], [], [], []
    for i in range(f):
        if areas[i] < 0.5 * med or areas[i] == 0:
            continue
        ys, xs = np.nonzero(mask[i])
        cx.append(xs.mean())
        cy.append(ys.mean())
        ts.append(i)
        x0, x1 = np.percentile(xs, [2, 98])
        y0, y1 = np.percentile(ys, [2, 98])
        box = (x1 - x0 + 1) * (y1 - y0 + 1)
        inside = ((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)).sum()
        cut = ((xs == 0) | (ys == 0) | (xs == w - 1) | (ys == h - 1)).sum() >= EDGE_PIXELS
        (cut_fills if cut else fills).append(inside / box)
    fills = fills or cut_fills
    if fills:
        fill = float(np.median(fills))
        result["fill"] = round(fill, 3)
        result["shape"] = ("triangle" if fill < FILL_TRIANGLE_MAX else
                           "square" if fill > FILL_SQUARE_MIN else "circle")
    if len(ts) >= 2:
        t = np.asarray(ts, np.float64)
        vx = np.polyfit(t, cx, 1)[0]
        vy = np.polyfit(t, cy, 1)[0]
        result["vx"], result["vy"] = round(float(vx), 3), round(float(vy), 3)
        if max(abs(vx), abs(vy)) < STILL_MAX_SPEED:
            result["motion"] = "still"
        elif abs(vx) >= abs(vy):
            result["motion"] = "right" if vx > 0 else "left"
        else:
            result["motion"] = "down" if vy > 0 else "up"
    return result


def scoring_json() -> dict:
    """The thresholds above, for the Java eval (stored in palette.json under "scoring")."""
    return {
        "borderRingPixels": 2,
        "minObjectFraction": MIN_OBJECT_FRACTION,
        "edgePixelsForCut": EDGE_PIXELS,
        "fillBoxPercentiles": [2, 98],
        "fillTriangleMax": FILL_TRIANGLE_MAX,
        "fillSquareMin": FILL_SQUARE_MIN,
        "stillMaxSpeedPixelsPerFrame": STILL_MAX_SPEED,
        "stillMaxSpeedNote": "at the native 64x112 frame and 8 fps; scale with width and fps otherwise",
    }


def write_palette(path: Path = HERE / "palette.json"):
    import json
    d = sw.palette_json()
    d["scoring"] = scoring_json()
    path.write_text(json.dumps(d, indent=2) + "\n")


@dataclass(frozen=True)
class EvalPrompt:
    prompt: str
    obj: str
    bg: str
    shape: str
    motion: str
    held_out: bool
    paraphrase: bool


def load_prompts(path: Path = HERE / "prompts_eval.txt") -> list[EvalPrompt]:
    rows = []
    with open(path, newline="") as fh:
        for r in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            rows.append(EvalPrompt(r["prompt"], r["object_colour"], r["background_colour"], r["shape"],
                                   r["motion"], r["held_out"] == "true", r["paraphrase"] == "true"))
    return rows


ATTRS = ("object", "background", "shape", "motion")


def accuracy(prompts: list[EvalPrompt], scores: list[dict]) -> dict:
    """Accuracy per attribute overall, on held-out combinations and on the rest (seen)."""
    out = {}
    for group, sel in (("all", lambda p: True), ("held_out", lambda p: p.held_out),
                       ("seen", lambda p: not p.held_out), ("paraphrase", lambda p: p.paraphrase)):
        idx = [i for i, p in enumerate(prompts) if sel(p)]
        if not idx:
            continue
        g = {}
        for a in ATTRS:
            want = {"object": "obj", "background": "bg", "shape": "shape", "motion": "motion"}[a]
            g[a] = sum(scores[i][a] == getattr(prompts[i], want) for i in idx) / len(idx)
        out[group] = g
    return out


def format_accuracy(acc: dict) -> str:
    parts = []
    for group, g in acc.items():
        parts.append(f"{group}: " + " ".join(f"{a[:3]}={g[a]:.2f}" for a in ATTRS))
    return " | ".join(parts)


def check_scorer_on_ground_truth(n: int = 200, seed: int = 5, vae=None) -> dict:
    """Scores rendered clips (optionally through the VAE) against their true attributes."""
    rng = np.random.default_rng(seed)
    attrs = sw.all_attrs()
    hits = {a: 0 for a in ATTRS}
    misses = []
    for _ in range(n):
        a = attrs[int(rng.integers(len(attrs)))]
        video, _, _ = sw.render(a, rng)
        if vae is not None:
            video = np.clip(vae.decode_np(vae.encode(video)).transpose(0, 2, 3, 1) * 0.5 + 0.5, 0, 1)
        s = score_clip(video)
        ok = {"object": s["object"] == a.obj, "background": s["background"] == a.bg,
              "shape": s["shape"] == a.shape, "motion": s["motion"] == a.motion}
        for k, v in ok.items():
            hits[k] += v
        if not all(ok.values()):
            misses.append((a, s))
    return {k: v / n for k, v in hits.items()}, misses


if __name__ == "__main__":
    import vae as vae_mod
    acc, misses = check_scorer_on_ground_truth()
    print("pixels:", acc)
    for m in misses[:5]:
        print("  ", m)
    v = vae_mod.PcaVae.fit()
    acc, misses = check_scorer_on_ground_truth(vae=v)
    print("through PCA VAE:", acc)
    for m in misses[:8]:
        print("  ", m)
