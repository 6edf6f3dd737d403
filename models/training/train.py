"""Trains the default tiny-shapes text-to-video model and exports it as a bundle. One command:

    /usr/bin/python3 models/training/train.py --out models/training/runs/tiny-shapes --hours 6

Seeded and resumable: run the same command again and it continues from the run directory's last
checkpoint (saved every few minutes and on SIGINT/SIGTERM). Device-agnostic (``--device cuda``).
Stages: captions -> caption embeddings by the Java encoder (once, cached) -> PCA VAE fit
(closed form) -> denoiser training with periodic eval (scored from decoded pixels) -> bundle export
to ``--bundle-out`` (default models/tiny-shapes) whenever the eval improves, and at least every
``--export-every-min`` minutes, plus once at the end.
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import functools
import json
import math
import os
import re
import signal
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import ddim  # noqa: E402
import embeddings  # noqa: E402
import evaluate  # noqa: E402
import export  # noqa: E402
import onnx_weights  # noqa: E402
import shapes_world as sw  # noqa: E402
from denoiser import DenoiserConfig, VideoDiT, count_params  # noqa: E402
from vae import PcaVae  # noqa: E402

REPO = HERE.parents[1]
warnings.filterwarnings("ignore", category=UserWarning)  # torch.onnx shape-inference chatter
MAX_TOKENS = 24
SCHED = export.scheduler_config("v_prediction")  # linear 1e-4..0.02, trailing, set_alpha_to_one


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(HERE / "runs" / "tiny-shapes"), help="run directory")
    ap.add_argument("--bundle-out", default=str(REPO / "models" / "tiny-shapes"))
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--hours", type=float, default=6.0, help="total training wall time, across resumes")
    ap.add_argument("--max-steps", type=int, default=0, help="stop at this step (0 = no limit)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--captions-per-combo", type=int, default=5)
    ap.add_argument("--plain-name-share", type=float, default=sw.PLAIN_NAME_SHARE,
                    help="share of caption words that are an attribute's plain name (red, circle, "
                         "moving right); lower draws shades and everyday names more often")
    ap.add_argument("--partial-caption-share", type=float, default=sw.PARTIAL_CAPTION_SHARE,
                    help="share of captions without the motion, and independently without the background")
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--patch", default="2,2,2", help="frames,height,width of a latent patch")
    ap.add_argument("--attention", default="full", choices=["full", "factorised"])
    ap.add_argument("--no-conv-mlp", action="store_true", help="plain MLP (no depthwise conv)")
    ap.add_argument("--no-sincos-pos", action="store_true", help="learned positions only")
    ap.add_argument("--fg-weight", type=float, default=5.0, help="loss weight 1 + w * object coverage")
    ap.add_argument("--high-noise-share", type=float, default=0.5,
                    help="share of each batch with t drawn from the upper half of the schedule")
    ap.add_argument("--motion-weight", type=float, default=10.0,
                    help="extra loss weight where the object differs from its clip-average position: where a "
                         "still object would be wrong (shape was learned in ~1k steps, motion not after 3k)")
    ap.add_argument("--moving-square-weight", type=float, default=1.0,
                    help="how much more often a caption of a moving square is drawn (squares came out round "
                         "when they moved: held-out moving squares 3/7 after the first vocabulary fine-tune)")
    ap.add_argument("--frame-stride-share", type=float, default=0.0,
                    help="share of each batch rendered as keyframes (every s-th frame, s in KEYFRAME_STRIDES) "
                         "with a frame_stride input; > 0 adds that input to a resumed model, zero-initialised")
    ap.add_argument("--text-refiner", type=int, default=0,
                    help="self-attention layers over the token states before the cross-attention (a new "
                         "run's config; with --init-from-bundle they are added to the bundle's model, "
                         "zero-initialised)")
    ap.add_argument("--ckpt-every-min", type=float, default=5.0)
    ap.add_argument("--eval-every-min", type=float, default=20.0)
    ap.add_argument("--eval-every-steps", type=int, default=1000)
    ap.add_argument("--export-every-min", type=float, default=30.0)
    ap.add_argument("--eval-steps", type=int, default=20, help="DDIM steps in the quick eval")
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--eval-prompts", type=int, default=0, help="use the first N eval prompts (0 = all)")
    ap.add_argument("--embedder", default=None, help="embedder command prefix (see embeddings.py)")
    ap.add_argument("--wait-embedder-min", type=float, default=0.0,
                    help="poll this long for the Java EmbedCaptions class before giving up")
    ap.add_argument("--fake-embeddings", action="store_true", help="random text states: smoke tests only")
    ap.add_argument("--smoke", action="store_true", help="tiny model and eval, for checking the pipeline")
    ap.add_argument("--init-from-bundle", default=None,
                    help="start a new run from this bundle's trained denoiser (its ONNX weights) instead of "
                         "random weights: fine-tuning, e.g. on a changed caption vocabulary")
    return ap.parse_args(argv)


# ------------------------------------------------------------------------------------------------
# data


# Keyframe spacings of an anchored render (window - overlap: 7 at the default overlap of 1, 2..6
# at larger overlaps) and of its coarser anchor level (7 x 7), weighted towards the default.
KEYFRAME_STRIDES = (2, 3, 4, 5, 6, 7, 7, 7, 7, 49)

MAX_STEP_SECONDS = 30.0  # longer steps count as this much training time (see the training loop)

GOLDEN_FRAME_STRIDE = 7  # the parity fixture renders a keyframe pass when the model has the input


class Data:
    """Caption rows + their embeddings + the VAE; builds seeded training batches."""

    def __init__(self, rows, hidden, mask, vae: PcaVae, moving_square_weight: float = 1.0):
        self.rows = rows  # training captions; embedding row i + 1
        self.hidden = torch.from_numpy(hidden)
        self.mask = torch.from_numpy(mask)
        self.vae = vae
        # None keeps uniform draws (and the batches of runs made before the weight existed).
        self.row_p = None
        if moving_square_weight != 1.0:
            w = np.array([moving_square_weight if r.attrs.shape == "square" and r.attrs.motion != "still" else 1.0
                          for r in rows])
            self.row_p = w / w.sum()

    def batch(self, rng: np.random.Generator, b: int, stride_share: float = 0.0):
        f = sw.FRAMES
        lat, cover, ctx_mask, text_idx = [], [], np.zeros((b, f), np.float32), np.zeros(b, np.int64)
        strides = np.ones(b, np.float32)
        for i in range(b):
            k = int(rng.integers(len(self.rows)) if self.row_p is None else rng.choice(len(self.rows), p=self.row_p))
            row = self.rows[k]
            a = row.attrs
            if not row.has_motion:
                a = sw.Attrs(a.obj, a.bg, a.shape, sw.MOTIONS[int(rng.integers(5))], a.bg_kind)
            if not row.has_bg:
                bg = [c for c in sw.COLOURS if c != a.obj][int(rng.integers(7))]
                a = sw.Attrs(a.obj, bg, a.shape, a.motion, sw.BACKGROUNDS[int(rng.integers(2))])
            text_idx[i] = 0 if rng.random() < 0.1 else k + 1  # 10% caption dropout -> ""
            # Context masks as in MCVD: none / known prefix / known suffix / both ends.
            u = rng.random()
            if u < 0.4:
                pass
            elif u < 0.65:
                ctx_mask[i, : int(rng.integers(1, 5))] = 1
            elif u < 0.8:
                ctx_mask[i, f - int(rng.integers(1, 5)):] = 1
            else:
                ctx_mask[i, : int(rng.integers(1, 3))] = 1
                ctx_mask[i, f - int(rng.integers(1, 3)):] = 1
            conditioned = ctx_mask[i].any()
            start = ("centre" if not conditioned else "free" if rng.random() < 0.3 else "inside")
            speed = (0.15, sw.SPEED_MAX) if conditioned and rng.random() < 0.5 else (sw.SPEED_MIN, sw.SPEED_MAX)
            if stride_share and rng.random() < stride_share:
                strides[i] = KEYFRAME_STRIDES[int(rng.integers(len(KEYFRAME_STRIDES)))]
                speed = (sw.SPEED_MIN, sw.SPEED_MAX)  # keyframes of a clip at the captioned speed
            video, cov, _ = sw.render(a, rng, start=start, speed_range=speed, stride=int(strides[i]))
            lat.append(self.vae.encode(video).transpose(1, 0, 2, 3))  # [C,F,h,w]
            cover.append(cov.reshape(f, sw.HEIGHT // 4, 4, sw.WIDTH // 4, 4).mean((2, 4)))
        return (torch.from_numpy(np.stack(lat)), torch.from_numpy(np.stack(cover)),
                torch.from_numpy(ctx_mask), self.hidden[text_idx], self.mask[text_idx],
                torch.from_numpy(strides))


# ------------------------------------------------------------------------------------------------
# sampling + eval (torch, fast path; the numpy reference sampler in ddim.py is the spec)


@functools.lru_cache(maxsize=None)
def native_bf16(device) -> bool:
    """bf16 autocast pays off on GPUs and on CPUs with bf16 instructions; elsewhere oneDNN emulates
    it (an AVX2-only EPYC, 2 threads, one training step at batch 16: 32 s in bf16, 4.4 s in fp32
    through Debian's libopenblas0-openmp)."""
    if device.type != "cpu":
        return True
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    return "avx512_bf16" in flags or "amx_bf16" in flags


def autocast(device):
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=native_bf16(device))


@torch.no_grad()
def sample(model, device, hidden, mask, u_hidden, u_mask, noise, steps, guidance, ctx=None, ctx_mask=None):
    """DDIM (ddim.py math) with CFG, batched over prompts; autocast as in training. Returns x0 latents."""
    acp = ddim.alphas_cumprod(SCHED)
    b = noise.shape[0]
    x = noise.to(device).float()
    hid = torch.cat([u_hidden.expand(b, -1, -1), hidden]).to(device)
    msk = torch.cat([u_mask.expand(b, -1), mask]).to(device)
    if ctx is None:
        ctx = torch.zeros_like(x)
        ctx_mask = torch.zeros(b, x.shape[2], device=device)
    ctx2, cm2 = torch.cat([ctx, ctx]).to(device), torch.cat([ctx_mask, ctx_mask]).to(device)
    for t in ddim.timesteps(SCHED, steps):
        ts = torch.full((2 * b,), float(t), device=device)
        with autocast(device):
            out = model(torch.cat([x, x]), ts, hid, msk, ctx2, cm2).float()
        m = out[:b] + guidance * (out[b:] - out[:b])
        prev = int(t) - SCHED["num_train_timesteps"] // steps
        a_t, a_p = acp[int(t)], (acp[prev] if prev >= 0 else 1.0)
        x0 = a_t ** 0.5 * x - (1 - a_t) ** 0.5 * m
        eps = a_t ** 0.5 * m + (1 - a_t) ** 0.5 * x
        x = a_p ** 0.5 * x0 + (1 - a_p) ** 0.5 * eps
    return x


def decode_clip(vae: PcaVae, z: np.ndarray) -> np.ndarray:
    """[C,F,h,w] -> [F,H,W,3] in 0..1."""
    return np.clip(vae.decode_np(z.transpose(1, 0, 2, 3)).transpose(0, 2, 3, 1) * 0.5 + 0.5, 0, 1)


def run_eval(model, data: Data, vae, device, prompts, prompt_rows, steps, guidance, seed, chunk=16,
             png: Path | None = None):
    model.eval()
    scores, clips = [], []
    g = torch.Generator().manual_seed(seed)
    noise = torch.randn((len(prompts), 4, sw.FRAMES, sw.HEIGHT // 4, sw.WIDTH // 4), generator=g)
    u_h, u_m = data.hidden[:1], data.mask[:1]
    for s in range(0, len(prompts), chunk):
        idx = torch.as_tensor(prompt_rows[s:s + chunk])
        z = sample(model, device, data.hidden[idx], data.mask[idx], u_h, u_m, noise[s:s + chunk], steps, guidance)
        for zi in z.cpu().numpy():
            clip = decode_clip(vae, zi)
            clips.append(clip)
            scores.append(evaluate.score_clip(clip))
    model.train()
    if png is not None:
        save_grid(clips, png)
    return scores


def save_grid(clips, path: Path, cols=16):
    """First, middle and last frame of each clip, side by side, as one PNG."""
    try:
        from PIL import Image
    except ImportError:
        return
    tiles = [np.concatenate([c[0], c[len(c) // 2], c[-1]], 1) for c in clips]
    h, w, _ = tiles[0].shape
    rows = math.ceil(len(tiles) / cols)
    grid = np.ones((rows * (h + 2), cols * (w + 2), 3), np.float32)
    for i, t in enumerate(tiles):
        r, c = divmod(i, cols)
        grid[r * (h + 2):r * (h + 2) + h, c * (w + 2):c * (w + 2) + w] = t
    Image.fromarray((grid * 255).astype(np.uint8)).save(path)


def eval_score(acc: dict) -> float:
    """One number to pick the best checkpoint: the worst of the four overall accuracies, then mean."""
    g = acc["all"]
    return min(g.values()) + 0.01 * sum(g.values())


# ------------------------------------------------------------------------------------------------
# checkpoint + export


def trained_for(step: int, hours: float, base: dict | None) -> str:
    """How the exported weights were trained, for the bundle's description."""
    if not base:
        return f"step {step}, {hours:.1f} h of training"
    return (f"{base['version']} ({base['hours']:.1f} h) fine-tuned for {step} steps ({hours:.1f} h) on the "
            f"broadened caption vocabulary")


def bundle_vae(bundle: Path) -> PcaVae:
    """The PCA VAE of a bundle this recipe exported, read from its decoder."""
    init = onnx_weights.initialisers(bundle / "vae_decoder" / "model.onnx")
    return PcaVae.from_decoder_weights(init["proj.weight"], init["proj.bias"])


def denoiser_config(args) -> DenoiserConfig:
    """The denoiser a new run builds from its flags (a resumed run keeps its checkpoint's)."""
    pt = tuple(int(v) for v in args.patch.split(","))
    cfg = DenoiserConfig(patch=pt, dim=args.dim, depth=args.depth, heads=args.heads,
                         attention=args.attention, conv_mlp=not args.no_conv_mlp,
                         sincos_pos=not args.no_sincos_pos)
    if args.smoke:
        cfg.dim, cfg.depth, cfg.heads = 32, 1, 2
    cfg.frame_stride = args.frame_stride_share > 0
    cfg.text_refiner = args.text_refiner
    return cfg


def init_from_bundle(model: VideoDiT, bundle: Path) -> dict:
    """Loads a bundle's trained denoiser into ``model``; returns its version and training hours.

    The hours are every "N h" of the description that ``trained_for`` wrote: one for a trained
    bundle, the base's and the fine-tune's for a fine-tuned one.
    """
    onnx_path = bundle / "denoiser" / "model.onnx"
    bundle_has_refiner = any(n.startswith("text_refiner.") for n in onnx_weights.initialisers(onnx_path))
    if model.cfg.text_refiner and not bundle_has_refiner:
        # Load the model the bundle was; the refiner keeps its zero-initialised (identity) weights.
        trained = VideoDiT(dataclasses.replace(model.cfg, text_refiner=0))
        onnx_weights.load_into(trained, onnx_path)
        model.load_state_dict(trained.state_dict(), strict=False)
    else:
        onnx_weights.load_into(model, onnx_path)
    manifest = json.loads((bundle / "bundle.json").read_text())
    hours = re.findall(r"([0-9.]+) h\b", manifest.get("description", ""))
    return {"version": manifest["version"], "hours": sum(float(h) for h in hours)}


def save_ckpt(path: Path, state: dict):
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def export_bundle(args, cfg: DenoiserConfig, ema, vae: PcaVae, data: Data, prompt_rows, prompts, step,
                  acc, train_hours, base: dict | None):
    model = VideoDiT(cfg)
    model.load_state_dict(ema.state_dict())
    model = model.float().eval()
    decoder = vae.decoder_module()
    rng = np.random.default_rng(123)
    attrs = sw.all_attrs()
    lat = np.stack([vae.encode(sw.render(attrs[int(rng.integers(len(attrs)))], rng)[0])
                    for _ in range(24)]).reshape(-1, 4, sw.HEIGHT // 4, sw.WIDTH // 4)
    with torch.no_grad():
        rgb = decoder(torch.from_numpy(lat)).numpy()
    preview = export.fit_preview(lat, rgb, 4)
    g = acc.get("all", {}) if acc else {}
    desc = (f"Reelfarm's default model: one circle, square or triangle in one of 8 colours (red, orange, "
            f"yellow, green, blue, purple, white, black) over a solid or gradient background of another "
            f"of them, moving left/right/up/down or staying still. {count_params(model) / 1e6:.2f}M-param "
            f"video DiT, {trained_for(step, train_hours, base)} on 2 CPU cores; quick eval "
            + " ".join(f"{k}={v:.2f}" for k, v in g.items()))
    version = f"{base['version']}-ft{step}" if base else f"step{step}"
    man = export.manifest(name="tiny-shapes", version=version, description=desc, cfg=cfg,
                          native_width=sw.WIDTH, native_height=sw.HEIGHT, fps=8, vae_scale=4,
                          scaling_factor=1.0, max_tokens=MAX_TOKENS, preview=preview,
                          default_steps=25, guidance=args.guidance)
    tmp_bundle = Path(args.bundle_out)
    export.write_bundle(tmp_bundle, model, decoder, man, SCHED)
    # Golden fixture: first eval prompt, real text states, two known prefix frames.
    p0 = prompts[0]
    row = prompt_rows[0]
    clip, _, _ = sw.render(sw.Attrs(p0.obj, p0.bg, p0.shape, p0.motion, "solid"), np.random.default_rng(7),
                           stride=GOLDEN_FRAME_STRIDE if cfg.frame_stride else 1)
    z = vae.encode(clip).transpose(1, 0, 2, 3)[None]
    ctx_mask = np.zeros((1, sw.FRAMES), np.float32)
    ctx_mask[0, :2] = 1
    ctx = (z * ctx_mask[:, None, :, None, None]).astype(np.float32)
    export.write_golden(tmp_bundle, model, SCHED,
                        (data.hidden[row:row + 1].numpy(), data.mask[row:row + 1].numpy()),
                        (data.hidden[:1].numpy(), data.mask[:1].numpy()), seed=2024, steps=10,
                        guidance=args.guidance, prompt=p0.prompt, context=ctx, context_mask=ctx_mask,
                        frame_stride=GOLDEN_FRAME_STRIDE, decoder=decoder)
    size = sum(p.stat().st_size for p in tmp_bundle.rglob("*") if p.is_file())
    log(f"exported bundle step {step} to {tmp_bundle} ({size / 2 ** 20:.1f} MiB)")


# ------------------------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    device = torch.device(args.device)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ckpt_path = out / "checkpoint.pt"
    resume = torch.load(ckpt_path, map_location="cpu") if ckpt_path.is_file() else None

    # captions + embeddings (row 0 = "", then training captions, then eval prompts)
    rows = sw.training_captions(args.captions_per_combo if not args.smoke else 1, seed=args.seed,
                                plain_share=args.plain_name_share, partial_share=args.partial_caption_share)
    prompts = evaluate.load_prompts()
    if args.eval_prompts:
        prompts = prompts[: args.eval_prompts]
    all_prompts = evaluate.load_prompts()
    texts = [r.text for r in rows] + [p.prompt for p in all_prompts]
    (out / "captions.json").write_text(json.dumps([r.to_json() for r in rows], indent=0))
    if not args.fake_embeddings and not embeddings.wait_for_embedder(args.wait_embedder_min, log):
        sys.exit("no caption embedder: build the worker (EmbedCaptions) or pass --embedder")
    hidden, mask = embeddings.embed(texts, out / "embeddings" / "captions", MAX_TOKENS, args.embedder,
                                    fake=args.fake_embeddings, log=log)
    prompt_rows = [1 + len(rows) + all_prompts.index(p) for p in prompts]
    log(f"{len(rows)} training captions, {len(prompts)} eval prompts, embeddings {hidden.shape}")

    if resume:
        vae = PcaVae.from_state(resume["vae"])
    elif args.init_from_bundle:  # the latents the bundle's denoiser learned
        vae = bundle_vae(Path(args.init_from_bundle))
    else:
        vae = PcaVae.fit(seed=args.seed + 1234)
    data = Data(rows, hidden, mask, vae, args.moving_square_weight)

    if resume:
        cfg = DenoiserConfig.from_json(resume["config"])
    else:
        cfg = denoiser_config(args)
    # Adding the frame-stride input to a model trained without it: new zero-initialised weights.
    adding_stride = resume is not None and args.frame_stride_share > 0 and not cfg.frame_stride
    if adding_stride:
        cfg.frame_stride = True
    cfg.alphas_cumprod = list(ddim.alphas_cumprod(SCHED))
    torch.manual_seed(args.seed)
    model = VideoDiT(cfg)
    base = resume["state"].get("base") if resume else None
    if args.init_from_bundle and not resume:
        base = init_from_bundle(model, Path(args.init_from_bundle))
        log(f"weights from {args.init_from_bundle} ({base['version']}, {base['hours']:.1f} h)")
    model = model.to(device)
    ema = copy.deepcopy(model).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    # Parameter groups: the base model, then the stride input's (added later to an old optimizer).
    stride_params = list(model.stride_mlp.parameters()) if cfg.frame_stride else []
    base_params = [p for n, p in model.named_parameters() if not n.startswith("stride_mlp.")]
    groups = [{"params": base_params}] + ([{"params": stride_params}] if stride_params and not adding_stride else [])
    opt = torch.optim.AdamW(groups, lr=args.lr, weight_decay=0.01, betas=(0.9, 0.99))
    state = {"step": 0, "train_seconds": 0.0, "best": -1.0, "last_export": 0.0, "evals": [], "base": base}
    if resume:
        for net, key in ((model, "model"), (ema, "ema")):
            missing, unexpected = net.load_state_dict(resume[key], strict=False)
            if unexpected or any(not k.startswith("stride_mlp.") for k in missing) or (missing and not adding_stride):
                sys.exit(f"checkpoint {ckpt_path} does not fit the model: missing {missing}, unexpected {unexpected}")
        opt.load_state_dict(resume["opt"])
        if adding_stride:
            opt.add_param_group({"params": stride_params})
            log("added the frame_stride input (zero-initialised) to the resumed model")
        # Evals from before an added input do not compete with the new model's for export.
        state = {**resume["state"], "best": -1.0} if adding_stride else resume["state"]
        log(f"resumed from {ckpt_path} at step {state['step']} ({state['train_seconds'] / 3600:.2f} h)")
    log(f"denoiser {count_params(model) / 1e6:.2f}M params, config {cfg.to_json()}")
    (out / "config.json").write_text(json.dumps({"args": vars(args), "denoiser": cfg.to_json()}, indent=2))

    acp = torch.tensor(cfg.alphas_cumprod, dtype=torch.float32)
    stop = {"now": False}

    def on_signal(signum, _frame):
        log(f"signal {signum}: checkpoint and stop")
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def checkpoint():
        save_ckpt(ckpt_path, {"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(),
                              "state": state, "config": cfg.to_json(), "vae": vae.state()})

    def do_eval(final=False):
        t0 = time.time()
        scores = run_eval(ema, data, vae, device, prompts, prompt_rows,
                          4 if args.smoke else args.eval_steps, args.guidance, seed=99,
                          png=out / f"eval_step{state['step']:06d}.png")
        acc = evaluate.accuracy(prompts, scores)
        score = eval_score(acc)
        state["evals"].append({"step": state["step"], "hours": state["train_seconds"] / 3600, "acc": acc})
        log(f"EVAL step {state['step']} ({state['train_seconds'] / 3600:.2f} h): "
            f"{evaluate.format_accuracy(acc)}  [{time.time() - t0:.0f}s]")
        with open(out / "eval.tsv", "a") as fh:
            fh.write(json.dumps({"step": state["step"], "hours": round(state["train_seconds"] / 3600, 3),
                                 "acc": acc, "scores": scores}) + "\n")
        due = state["train_seconds"] - state["last_export"] >= args.export_every_min * 60
        if score > state["best"] or due or final:
            if score > state["best"]:
                state["best"] = score
            export_bundle(args, cfg, ema, vae, data, prompt_rows, prompts, state["step"], acc,
                          state["train_seconds"] / 3600, base)
            state["last_export"] = state["train_seconds"]
        return acc

    warmup = 200
    last_ckpt = last_eval = time.time()
    last_eval_step = state["step"]
    t_log, loss_acc, n_acc = time.time(), 0.0, 0
    model.train()
    while not stop["now"]:
        if args.max_steps and state["step"] >= args.max_steps:
            break
        if state["train_seconds"] >= args.hours * 3600:
            break
        t_step = time.time()
        step = state["step"]
        rng = np.random.default_rng([args.seed, step])
        x0, cover, cm, hid, msk, strides = data.batch(rng, args.batch if not args.smoke else 4,
                                                      args.frame_stride_share)
        b = x0.shape[0]
        gen = torch.Generator().manual_seed(args.seed * 1_000_003 + step)
        noise = torch.randn(x0.shape, generator=gen)
        t = torch.randint(0, SCHED["num_train_timesteps"], (b,), generator=gen)
        # Half the batch at high noise, where the layout over time (motion) is decided from the
        # text alone: denoising a noised clip kept its motion from step ~1.7k, but at t = 900 the
        # model still predicted every object still after 6k steps.
        high = torch.rand(b, generator=gen) < args.high_noise_share
        t = torch.where(high, torch.randint(SCHED["num_train_timesteps"] // 2, SCHED["num_train_timesteps"], (b,), generator=gen), t)
        a = acp[t][:, None, None, None, None]
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        v = a.sqrt() * noise - (1 - a).sqrt() * x0
        ctx = x0 * cm[:, None, :, None, None]
        x0, xt, v, ctx, cm, hid, msk, cover, strides = (
            z.to(device) for z in (x0, xt, v, ctx, cm, hid, msk, cover, strides))
        for grp in opt.param_groups:
            grp["lr"] = args.lr * min(1.0, (step + 1) / warmup)
        with autocast(device):
            pred = model(xt, t.float().to(device), hid, msk, ctx, cm,
                         strides if cfg.frame_stride else None)
        unknown = (1 - cm)[:, None, :, None, None]
        moving = (cover - cover.mean(dim=1, keepdim=True)).abs()
        w = (1 + args.fg_weight * cover[:, None] + args.motion_weight * moving[:, None]) * unknown
        w = w / w.mean(dim=(1, 2, 3, 4), keepdim=True).clamp(min=1e-6)
        loss = (w * (pred.float() - v) ** 2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        decay = min(0.999, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
        state["step"] = step + 1
        # A step is ~1 s on 2 CPU cores; one that took minutes was stopped (SIGSTOP while benchmarks
        # ran, a suspended machine), and that pause must not eat the --hours budget.
        state["train_seconds"] += min(time.time() - t_step, MAX_STEP_SECONDS)
        loss_acc += float(loss)
        n_acc += 1
        if state["step"] % 25 == 0 or args.smoke:
            log(f"step {state['step']} loss {loss_acc / n_acc:.4f} {(time.time() - t_log) / n_acc:.2f} s/step "
                f"lr {opt.param_groups[0]['lr']:.2e}")
            t_log, loss_acc, n_acc = time.time(), 0.0, 0
        if time.time() - last_ckpt >= args.ckpt_every_min * 60:
            checkpoint()
            last_ckpt = time.time()
        if (time.time() - last_eval >= args.eval_every_min * 60
                or state["step"] - last_eval_step >= args.eval_every_steps):
            do_eval()
            checkpoint()
            last_eval, last_eval_step, last_ckpt = time.time(), state["step"], time.time()
            t_log, loss_acc, n_acc = time.time(), 0.0, 0
    checkpoint()
    if not stop["now"]:
        do_eval(final=True)
        checkpoint()
    log(f"stopped at step {state['step']} ({state['train_seconds'] / 3600:.2f} h)")


if __name__ == "__main__":
    main()
