"""Renders prompts from a training checkpoint (torch, bf16), chunk by chunk with native context
conditioning as the worker's sequential mode does, and scores them. For inspecting a run:

    /usr/bin/python3 models/training/sample.py --run models/training/runs/tiny-shapes \
        --chunks 4 --context 2 --prompts 8 --gif /tmp/clips.gif

Each chunk after the first gets the last ``--context`` frames of the previous chunk as known
prefix frames (context + context_mask); the output clip drops the repeated frames.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import evaluate  # noqa: E402
import shapes_world as sw  # noqa: E402
import train  # noqa: E402
from denoiser import DenoiserConfig, VideoDiT  # noqa: E402
from vae import PcaVae  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default=str(HERE / "runs" / "tiny-shapes"))
    ap.add_argument("--chunks", type=int, default=1)
    ap.add_argument("--context", type=int, default=2, help="known prefix frames per later chunk")
    ap.add_argument("--prompts", type=int, default=8, help="first N eval prompts")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--seed", type=int, default=99)
    ap.add_argument("--gif", default=None)
    args = ap.parse_args()
    torch.set_num_threads(2)
    run = Path(args.run)
    ck = torch.load(run / "checkpoint.pt", map_location="cpu")
    cfg = DenoiserConfig.from_json(ck["config"])
    import ddim
    cfg.alphas_cumprod = list(ddim.alphas_cumprod(train.SCHED))
    model = VideoDiT(cfg)
    model.load_state_dict(ck["ema"])
    model.eval()
    vae = PcaVae.from_state(ck["vae"])
    hidden = torch.from_numpy(np.load(run / "embeddings" / "captions.hidden.npy"))
    mask = torch.from_numpy(np.load(run / "embeddings" / "captions.mask.npy"))
    prompts = evaluate.load_prompts()[: args.prompts]
    rows = torch.as_tensor([hidden.shape[0] - len(evaluate.load_prompts()) + i for i in range(len(prompts))])
    g = torch.Generator().manual_seed(args.seed)
    b, f = len(prompts), cfg.frames
    dev = torch.device("cpu")
    latents = []
    ctx = torch.zeros(b, 4, f, cfg.height, cfg.width)
    cm = torch.zeros(b, f)
    for c in range(args.chunks):
        noise = torch.randn((b, 4, f, cfg.height, cfg.width), generator=g)
        z = train.sample(model, dev, hidden[rows], mask[rows], hidden[:1], mask[:1], noise, args.steps,
                         args.guidance, ctx, cm)
        latents.append(z if c == 0 else z[:, :, args.context:])
        ctx = torch.zeros_like(ctx)
        ctx[:, :, : args.context] = z[:, :, f - args.context:]
        cm = torch.zeros(b, f)
        cm[:, : args.context] = 1
    z = torch.cat(latents, dim=2).numpy()
    clips = [train.decode_clip(vae, zi) for zi in z]
    scores = [evaluate.score_clip(c) for c in clips]
    for p, s in zip(prompts, scores):
        want = (p.obj, p.bg, p.shape, p.motion)
        got = (s["object"], s["background"], s["shape"], s["motion"])
        print(("OK  " if want == got else "BAD ") + f"{p.prompt!r}: want {want} got {got} "
              f"fill={s.get('fill')} v=({s.get('vx')},{s.get('vy')})")
    print(evaluate.format_accuracy(evaluate.accuracy(prompts, scores)))
    if args.gif:
        from PIL import Image
        frames = []
        for t in range(clips[0].shape[0]):
            row = np.concatenate([np.pad(c[t], ((2, 2), (2, 2), (0, 0)), constant_values=1) for c in clips], 1)
            frames.append(Image.fromarray((row * 255).astype(np.uint8)))
        frames[0].save(args.gif, save_all=True, append_images=frames[1:], duration=125, loop=0)
        print("wrote", args.gif)


if __name__ == "__main__":
    main()
