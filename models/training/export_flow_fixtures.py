"""Exports two tiny random-weight flow-matching bundles shaped like LTX-Video and Wan2.1 (seeded).

    /work/venv-flow/bin/python models/training/export_flow_fixtures.py [--out models/fixtures]

Needs torch (the CPU wheel) and onnx. Both bundles are test fixtures: random weights, they draw
noise. What they share with the real models is the bundle-facing layout:

(a) tiny-flow-ltx: LTX-Video's causal VAE factors (8x in time, 32x32 in space, windows of 1 + 8k
    frames: 17 frames -> 3 latent frames), BCFHW, 24 fps, flow_prediction with a static shift, a
    frame_rate input, a T5-style text encoder (Unigram tokenizer.json + ONNX encoder), and a
    denoiser whose inputs and outputs are float16 (LTX runs in half precision). 8 latent channels
    (LTX has 128), 64x96 pixels (2x3 latent cells).
(b) tiny-flow-wan: Wan2.1's factors (4x in time, 8x8 in space, 1 + 4k frames: 13 frames -> 4
    latent frames), BCFHW, 16 fps, per-channel latents_mean / latents_std, 4 latent channels (Wan
    has 16), 48x64 pixels (6x8 latent cells).

Both use replacement conditioning (no context inputs) and ship a VAE encoder, with which the
worker re-encodes a previous chunk's last pixel frames into the leading latent frames of the next
window. Every ONNX file keeps its weights as external data (model.onnx + model.onnx.data), as
exports of multi-GB models must (protobuf's 2 GiB limit).
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

VOCAB_WORDS = ("a red orange yellow green blue purple white black circle square triangle moving "
               "left right up down still on the background gradient small big slowly fast ball box "
               "over sky").split()


def tokenizer_json() -> dict:
    """A T5-style tokenizer (SentencePiece Unigram: <pad>=0, </s>=1, <unk>=2, Metaspace, </s> appended)."""
    special = [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0]]
    pieces = [["\u2581" + w, -2.0 - 0.01 * i] for i, w in enumerate(VOCAB_WORDS)]
    chars = [["\u2581", -6.0]] + [[c, -8.0] for c in "abcdefghijklmnopqrstuvwxyz"]
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, (t, _) in enumerate(special)]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                          "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}},
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": 2, "vocab": special + pieces + chars, "byte_fallback": False},
    }


class RMSNorm(nn.Module):
    """T5's layer norm: scale only, no mean subtraction."""

    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)


class TinyT5Encoder(nn.Module):
    """One T5 encoder block (pre-norm self-attention and ReLU feed-forward, no biases), then the final norm."""

    def __init__(self, vocab, d=32, heads=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.norm1, self.norm2, self.final = RMSNorm(d), RMSNorm(d), RMSNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, bias=False, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d, bias=False), nn.ReLU(), nn.Linear(2 * d, d, bias=False))

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids)
        h = self.norm1(x)
        pad = attention_mask == 0
        x = x + self.attn(h, h, h, key_padding_mask=pad, need_weights=False)[0]
        x = x + self.ff(self.norm2(x))
        return self.final(x)


def sinusoid(values, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = values.to(torch.float32)[:, None] * freqs[None]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=-1)


class TinyFlowDenoiser(nn.Module):
    """Per-cell tokens of a BCFHW latent, conditioned on timestep (+ frame rate) and cross-attending to the text."""

    def __init__(self, channels, text_dim, d=32, frame_rate=False):
        super().__init__()
        self.frame_rate = frame_rate
        self.inp = nn.Linear(channels, d)
        self.time = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Linear(d, 2 * d))
        self.fps = nn.Linear(d, 2 * d) if frame_rate else None
        self.text = nn.Linear(text_dim, d)
        self.cross = nn.MultiheadAttention(d, 2, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.out = nn.Linear(d, channels)

    def forward(self, sample, timestep, encoder_hidden_states, encoder_attention_mask, frame_rate=None):
        b, c, f, h, w = sample.shape
        x = self.inp(sample.flatten(2).transpose(1, 2))  # [B, F*H*W, d]
        cond = sinusoid(timestep.to(torch.float32), x.shape[-1]).to(x.dtype)
        mod = self.time(cond)
        if self.fps is not None:
            mod = mod + self.fps(sinusoid(frame_rate.to(torch.float32) * 10, x.shape[-1]).to(x.dtype))
        scale, shift = mod[:, None].chunk(2, dim=-1)
        x = x * (1 + scale) + shift
        text = self.text(encoder_hidden_states)
        x = x + self.cross(x, text, text, key_padding_mask=encoder_attention_mask == 0, need_weights=False)[0]
        x = x + self.mlp(x)
        return self.out(x).transpose(1, 2).reshape(b, c, f, h, w)


class CausalVideoDecoder(nn.Module):
    """[1, C, f, h, w] -> [1, 3, 1 + s(f-1), h*p, w*p] in [-1, 1]: each latent frame becomes s frames of
    p x p pixel patches, and the first latent frame only its last one (causal: it holds frame 0 alone)."""

    def __init__(self, channels, s, p):
        super().__init__()
        self.s, self.p = s, p
        self.proj = nn.Conv3d(channels, 3 * s * p * p, 1)

    def forward(self, latent_sample):
        b, _, f, h, w = latent_sample.shape
        s, p = self.s, self.p
        y = self.proj(latent_sample).reshape(b, 3, s, p, p, f, h, w)
        y = y.permute(0, 1, 5, 2, 6, 3, 7, 4).reshape(b, 3, f * s, h * p, w * p)
        return torch.tanh(y[:, :, s - 1:])


class CausalVideoEncoder(nn.Module):
    """[1, 3, 1 + s*m, H, W] -> [1, C, 1 + m, H/p, W/p]: frame 0 padded causally to s frames, then
    every s frames x p x p pixels become one latent cell (space-and-time to depth, 1x1x1 conv)."""

    def __init__(self, channels, s, p):
        super().__init__()
        self.s, self.p = s, p
        self.proj = nn.Conv3d(3 * s * p * p, channels, 1)

    def forward(self, sample):
        s, p = self.s, self.p
        x = torch.cat([sample[:, :, :1].repeat(1, 1, s - 1, 1, 1), sample], dim=2)
        b, _, f, hh, ww = x.shape
        x = x.reshape(b, 3, f // s, s, hh // p, p, ww // p, p)
        x = x.permute(0, 1, 3, 5, 7, 2, 4, 6).reshape(b, 3 * s * p * p, f // s, hh // p, ww // p)
        return self.proj(x)


def randomise(model, seed, std=0.2):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * (std if p.dim() > 1 else 0.02))
    return model


def export(model, args, path: Path, inputs, outputs, dynamic, axes=None):
    """ONNX opset 17 with a dynamic batch (or the given dynamic axes), weights moved to model.onnx.data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, args, str(path), input_names=inputs, output_names=outputs,
                      dynamic_axes=axes or {n: {0: "batch"} for n in dynamic}, opset_version=17, dynamo=False)
    proto = onnx.load(str(path))
    onnx.save_model(proto, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=path.name + ".data", size_threshold=0)
    onnx.checker.check_model(str(path))


def write_bundle(out: Path, *, name, description, s, p, channels, frames, width, height, fps, shift,
                 fp16, mean_std, seed):
    if out.exists():
        shutil.rmtree(out)
    torch.manual_seed(seed)
    tok = tokenizer_json()
    (out / "tokenizer").mkdir(parents=True)
    (out / "tokenizer" / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False, indent=1) + "\n")
    vocab, tokens, text_dim = len(tok["model"]["vocab"]), 16, 32
    encoder = randomise(TinyT5Encoder(vocab, text_dim), seed).eval()
    ids = torch.ones(2, tokens, dtype=torch.int64)
    export(encoder, (ids, torch.ones_like(ids)), out / "text_encoder" / "model.onnx",
           ["input_ids", "attention_mask"], ["last_hidden_state"], ["input_ids", "attention_mask", "last_hidden_state"])

    lf, lh, lw = (frames - 1) // s + 1, height // p, width // p
    denoiser = randomise(TinyFlowDenoiser(channels, text_dim, frame_rate=True), seed + 1).eval()
    dtype = torch.float16 if fp16 else torch.float32
    args = (torch.randn(2, channels, lf, lh, lw), torch.tensor([1000.0, 500.0]), torch.randn(2, tokens, text_dim),
            torch.ones(2, tokens), torch.tensor([float(fps)] * 2))
    with torch.no_grad():  # calibrate: unit-std velocity, as a trained model's
        std = float(denoiser(*args).std())
        denoiser.out.weight.div_(std)
        denoiser.out.bias.div_(std)
    if fp16:
        denoiser = denoiser.half()
    names = ["sample", "timestep", "encoder_hidden_states", "encoder_attention_mask", "frame_rate"]
    export(denoiser, tuple(a.to(dtype) for a in args), out / "denoiser" / "model.onnx", names, ["out_sample"],
           names + ["out_sample"])

    decoder = randomise(CausalVideoDecoder(channels, s, p), seed + 2, std=0.5).eval()
    export(decoder, (torch.randn(1, channels, lf, lh, lw),), out / "vae_decoder" / "model.onnx",
           ["latent_sample"], ["sample"], [])
    vae_encoder = randomise(CausalVideoEncoder(channels, s, p), seed + 3, std=0.05).eval()
    export(vae_encoder, (torch.rand(1, 3, frames, height, width) * 2 - 1,), out / "vae_encoder" / "model.onnx",
           ["sample"], ["latent_sample"], [],
           axes={"sample": {2: "frames"}, "latent_sample": {2: "latent_frames"}})

    (out / "scheduler").mkdir()
    (out / "scheduler" / "scheduler_config.json").write_text(json.dumps(
        {"_class_name": "FlowMatchEulerDiscreteScheduler", "num_train_timesteps": 1000, "shift": shift,
         "use_dynamic_shifting": False}, indent=1) + "\n")
    rng = np.random.default_rng(seed)
    manifest = {
        "name": name, "version": "1", "description": description, "testFixture": True,
        "nativeWidth": width, "nativeHeight": height, "nativeFps": fps, "framesPerChunk": frames,
        "latentChannels": channels, "latentLayout": "BCFHW", "vaeSpatialScale": p, "vaeTemporalScale": s,
        "vaeScalingFactor": 1.0, "predictionType": "flow_prediction", "conditioning": "replacement",
        "textEncoder": {"source": "text_encoder/model.onnx", "tokenizer": "tokenizer/tokenizer.json",
                        "maxTokens": tokens, "hiddenSize": text_dim},
        "denoiser": {"path": "denoiser/model.onnx", "sampleInput": "sample", "timestepInput": "timestep",
                     "timestepType": "float32", "textInput": "encoder_hidden_states",
                     "textMaskInput": "encoder_attention_mask", "contextInput": None, "contextMaskInput": None,
                     "frameRateInput": "frame_rate", "output": "out_sample"},
        "vaeDecoder": {"path": "vae_decoder/model.onnx", "input": "latent_sample", "output": "sample",
                       "perFrame": False},
        "vaeEncoder": {"path": "vae_encoder/model.onnx", "input": "sample", "output": "latent_sample"},
        "schedulerConfig": "scheduler/scheduler_config.json",
        "defaultSteps": 3, "defaultGuidanceScale": 3.0,
    }
    if mean_std:
        manifest["latentsMean"] = [round(float(v), 4) for v in rng.normal(0, 0.3, channels)]
        manifest["latentsStd"] = [round(float(v), 4) for v in rng.uniform(0.5, 2.0, channels)]
    (out / "bundle.json").write_text(json.dumps(manifest, indent=2) + "\n")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{name}: {size / 1024:.0f} KiB in {out}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "fixtures"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    out = Path(args.out)
    write_bundle(out / "tiny-flow-ltx", name="tiny-flow-ltx",
                 description="Tiny random weights (seed 21) shaped like LTX-Video: a test fixture, draws noise.",
                 s=8, p=32, channels=8, frames=17, width=64, height=96, fps=24, shift=2.0, fp16=True,
                 mean_std=False, seed=21)
    write_bundle(out / "tiny-flow-wan", name="tiny-flow-wan",
                 description="Tiny random weights (seed 22) shaped like Wan2.1: a test fixture, draws noise.",
                 s=4, p=8, channels=4, frames=13, width=48, height=64, fps=16, shift=3.0, fp16=False,
                 mean_std=True, seed=22)


if __name__ == "__main__":
    main()
