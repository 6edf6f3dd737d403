"""Exports the two tiny random-weight bundles the Java tests use as fixtures (seeded, reproducible).

    /usr/bin/python3 models/training/export_tiny_random.py [--out models/fixtures]

(a) tiny-random-bcfhw: same shapes and I/O as the default tiny-shapes model (BCFHW, v-prediction,
    native conditioning, 4x8x28x16 latents, float32 timestep, frame_stride input), with a golden
    fixture rendered at frame stride 7 (an anchor chunk's).
(b) tiny-random-bfchw: a differently shaped model: BFCHW layout, epsilon prediction, 8 latent
    channels, 48x80 native (12x20 latents), 6 frames per chunk, replacement conditioning (no
    context inputs), int64 timestep, maxTokens 16, scaled_linear betas with "leading" spacing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ddim  # noqa: E402
import export  # noqa: E402
from denoiser import DenoiserConfig, VideoDiT, count_params  # noqa: E402
from vae import RandomConvDecoder  # noqa: E402


def randomise(model, seed, std=0.08):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() > 1:
                p.copy_(torch.randn(p.shape, generator=g) * std)
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)
    return model


def calibrate(model, seed):
    """Scale the output layer so the raw prediction has unit std (like a trained model's)."""
    cfg = model.cfg
    g = torch.Generator().manual_seed(seed)
    shape = export._latent_shape(cfg, 2)
    args = [torch.randn(shape, generator=g), torch.tensor([999, 500]).to(
        torch.int64 if cfg.timestep_type == "int64" else torch.float32),
        torch.randn(2, cfg.text_tokens, cfg.text_dim, generator=g), torch.ones(2, cfg.text_tokens)]
    if cfg.native_context:
        args += [torch.zeros(shape), torch.zeros(2, cfg.frames)]
    with torch.no_grad():
        std = float(model(*args).std())
        model.patch_out.weight.div_(std)
        model.patch_out.bias.div_(std)
    return model


def random_text(rng, tokens, real):
    h = rng.standard_normal((1, tokens, 384)).astype(np.float32) * 0.3
    m = np.zeros((1, tokens), np.float32)
    m[0, :real] = 1
    h[0, real:] = 0
    return h, m


def bundle(out: Path, cfg: DenoiserConfig, *, name, width, height, sched, max_tokens, seed, golden):
    torch.manual_seed(seed)
    cfg.alphas_cumprod = list(ddim.alphas_cumprod(sched))
    model = calibrate(randomise(VideoDiT(cfg), seed), seed)
    decoder = RandomConvDecoder(cfg.latent_channels, 4, seed + 1)
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((16, cfg.latent_channels, cfg.height, cfg.width)).astype(np.float32)
    with torch.no_grad():
        rgb = decoder(torch.from_numpy(z)).numpy()
    preview = export.fit_preview(z, rgb, 4)
    man = export.manifest(
        name=name, version="1", cfg=cfg, native_width=width, native_height=height, fps=8, vae_scale=4,
        scaling_factor=1.0, max_tokens=max_tokens, preview=preview, default_steps=4, guidance=3.0,
        test_fixture=True, description="Tiny random weights (seed %d): a test fixture, draws noise. %d denoiser params."
                    % (seed, count_params(model)))
    export.write_bundle(out, model, decoder, man, sched)
    if golden:
        cond = random_text(rng, max_tokens, 7)
        uncond = random_text(rng, max_tokens, 2)
        ctx = ctx_mask = None
        if cfg.native_context:
            ctx = np.zeros(export._latent_shape(cfg, 1), np.float32)
            ctx_mask = np.zeros((1, cfg.frames), np.float32)
            known = [0, 1, cfg.frames - 1]  # two prefix frames and the last frame
            ctx_mask[0, known] = 1
            vals = rng.standard_normal(export._latent_shape(cfg, 1)).astype(np.float32)
            if cfg.layout == "BCFHW":
                ctx[:, :, known] = vals[:, :, known]
            else:
                ctx[:, known] = vals[:, known]
        meta = export.write_golden(out, model, sched, cond, uncond, seed=seed + 2, steps=10,
                                   guidance=3.0, prompt="(random text states, not a real prompt)",
                                   context=ctx, context_mask=ctx_mask, frame_stride=7.0, decoder=decoder)
        print(name, "golden timesteps", meta["timesteps"])
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{name}: {count_params(model)} params, {size / 1024:.0f} KiB in {out}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "fixtures"))
    args = ap.parse_args()
    torch.set_num_threads(2)
    out = Path(args.out)
    a = DenoiserConfig(latent_channels=4, frames=8, height=28, width=16, layout="BCFHW", patch=(2, 2, 2),
                       dim=16, depth=2, heads=2, mlp_ratio=2.0, attention="full",
                       prediction_type="v_prediction", native_context=True, timestep_type="float32",
                       frame_stride=True)
    bundle(out / "tiny-random-bcfhw", a, name="tiny-random-bcfhw", width=64, height=112,
           sched=export.scheduler_config("v_prediction"), max_tokens=24, seed=11, golden=True)
    b = DenoiserConfig(latent_channels=8, frames=6, height=20, width=12, layout="BFCHW", patch=(1, 2, 2),
                       dim=16, depth=2, heads=2, mlp_ratio=2.0, attention="factorised", text_tokens=16,
                       prediction_type="epsilon", native_context=False, timestep_type="int64")
    bundle(out / "tiny-random-bfchw", b, name="tiny-random-bfchw", width=48, height=80,
           sched=export.scheduler_config("epsilon", beta_schedule="scaled_linear", beta_start=0.00085,
                                         beta_end=0.012, timestep_spacing="leading", steps_offset=1,
                                         set_alpha_to_one=False),
           max_tokens=16, seed=12, golden=True)


if __name__ == "__main__":
    main()
