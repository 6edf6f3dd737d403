"""Which colour does a bundle give the object, and which the background, for each preposition?

A caption names two colours; the denoiser has to tell from the sentence which is the object's.
This probe writes, for each preposition, the same kind of caption ("a <shade> <shape> <motion>
<preposition> a <shade> <background noun>"), with shade names (never the plain colour) and random
attributes drawn from the training combinations, renders each from its own noise (one 8-frame
chunk, 20 DDIM steps, guidance 3, as the training-time eval) and counts the clips drawn with the
two colours swapped. Prepositions the caption templates never used show whether the model reads
roles from the sentence or from the few prepositions it was taught.

    /usr/bin/python3 models/training/tools/role_probe.py --bundle models/tiny-shapes [--seeds 16]

The bundle must have the committed model's architecture (train.py's defaults with the frame-stride
input, no token refiner).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import embeddings  # noqa: E402
import evaluate  # noqa: E402
import shapes_world as world  # noqa: E402
import train  # noqa: E402
from denoiser import VideoDiT  # noqa: E402

# The five the caption templates had until 2026-12-07, then some they gained, then some no caption
# has.
PREPOSITIONS = {
    "first five": ["on", "against", "over", "in front of", "across"],
    "added": ["down", "through", "along", "past", "inside", "upon", "atop", "in the middle of"],
    "never in captions": ["amid", "onto", "all over", "right in front of"],
}


def probe_captions(prep: str, seeds: int, rng: np.random.Generator) -> list[tuple[str, world.Attrs]]:
    combos = world.all_attrs(held_out=False)
    out = []
    for _ in range(seeds):
        a = combos[int(rng.integers(len(combos)))]
        obj = world._pick(rng, world.COLOUR_WORDS[a.obj][1:])
        bg = world._pick(rng, world.COLOUR_WORDS[a.bg][1:])
        shape = world._pick(rng, world.SHAPE_WORDS[a.shape])
        motion = world._pick(rng, world.MOTION_WORDS[a.motion])
        noun = world._pick(rng, world.BG_NOUNS)
        out.append((world._an_before_vowels(f"a {obj} {shape} {motion} {prep} a {bg} {noun}"), a))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", default=str(Path(__file__).resolve().parents[3] / "models" / "tiny-shapes"))
    ap.add_argument("--seeds", type=int, default=16, help="captions (and noises) per preposition")
    args = ap.parse_args()
    torch.set_num_threads(2)
    bundle = Path(args.bundle)
    model = VideoDiT(train.denoiser_config(train.parse_args(["--frame-stride-share", "0.25"])))
    train.init_from_bundle(model, bundle)
    model.eval()
    vae = train.bundle_vae(bundle)
    rng = np.random.default_rng(11)
    rows = [(group, prep, caption, attrs) for group, preps in PREPOSITIONS.items() for prep in preps
            for caption, attrs in probe_captions(prep, args.seeds, rng)]
    with tempfile.TemporaryDirectory() as tmp:
        hidden, mask = embeddings.embed([r[2] for r in rows], Path(tmp) / "probe", model.cfg.text_tokens,
                                        log=lambda *_: None)
    hidden, mask = torch.from_numpy(hidden), torch.from_numpy(mask)
    noise = torch.randn((len(rows), 4, world.FRAMES, world.HEIGHT // 4, world.WIDTH // 4),
                        generator=torch.Generator().manual_seed(7))
    swapped = {}
    for start in range(0, len(rows), args.seeds):
        idx = torch.arange(start, start + args.seeds) + 1
        z = train.sample(model, torch.device("cpu"), hidden[idx], mask[idx], hidden[:1], mask[:1],
                         noise[idx - 1], 20, 3.0)
        for (group, prep, caption, a), zi in zip(rows[start:start + args.seeds], z.numpy()):
            s = evaluate.score_clip(train.decode_clip(vae, zi))
            swap = s["object"] == a.bg and s["background"] == a.obj
            swapped.setdefault((group, prep), []).append(swap)
    print(f"{bundle}: clips drawn with object and background colours swapped, of {args.seeds} per preposition")
    for group in PREPOSITIONS:
        cells = [f"{prep} {sum(swapped[(group, prep)])}" for prep in PREPOSITIONS[group]]
        total = sum(sum(swapped[(group, p)]) for p in PREPOSITIONS[group])
        print(f"  {group}: {total}/{args.seeds * len(PREPOSITIONS[group])} ({', '.join(cells)})")


if __name__ == "__main__":
    main()
