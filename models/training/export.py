"""ONNX export of a denoiser + per-frame VAE decoder into a complete model bundle, with a golden
fixture (PyTorch reference DDIM run) for the Java parity test.

Bundle layout (documented field by field in models/README.md)::

    bundle.json
    denoiser/model.onnx
    vae_decoder/model.onnx
    scheduler/scheduler_config.json
    golden/ (optional)  golden.json + *.npy
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import torch

import ddim

OPSET = 17


def scheduler_config(prediction_type: str, beta_schedule="linear", beta_start=1e-4, beta_end=0.02,
                     timestep_spacing="trailing", steps_offset=0, set_alpha_to_one=True) -> dict:
    return {
        "_class_name": "DDIMScheduler",
        "num_train_timesteps": 1000,
        "beta_schedule": beta_schedule,
        "beta_start": beta_start,
        "beta_end": beta_end,
        "prediction_type": prediction_type,
        "timestep_spacing": timestep_spacing,
        "steps_offset": steps_offset,
        "clip_sample": False,
        "set_alpha_to_one": set_alpha_to_one,
        "trained_betas": None,
    }


def _latent_shape(cfg, batch=1):
    c, f, h, w = cfg.latent_channels, cfg.frames, cfg.height, cfg.width
    return (batch, c, f, h, w) if cfg.layout == "BCFHW" else (batch, f, c, h, w)


def export_denoiser(model, path: Path):
    cfg = model.cfg
    path.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval().float()
    b = 2
    sample = torch.randn(_latent_shape(cfg, b))
    if cfg.timestep_type == "int64":
        t = torch.tensor([999, 500], dtype=torch.int64)
    else:
        t = torch.tensor([999.0, 500.0], dtype=torch.float32)
    text = torch.randn(b, cfg.text_tokens, cfg.text_dim)
    mask = torch.ones(b, cfg.text_tokens)
    names = ["sample", "timestep", "encoder_hidden_states", "encoder_attention_mask"]
    args = [sample, t, text, mask]
    if cfg.native_context:
        names += ["context", "context_mask"]
        args += [torch.zeros_like(sample), torch.zeros(b, cfg.frames)]
    if cfg.frame_stride:
        assert cfg.native_context, "frame_stride follows the context inputs in forward()"
        names += ["frame_stride"]
        args += [torch.tensor([1.0, 7.0])]
    dyn = {n: {0: "batch"} for n in names + ["out_sample"]}
    with torch.no_grad():
        torch.onnx.export(model, tuple(args), str(path), input_names=names, output_names=["out_sample"],
                          dynamic_axes=dyn, opset_version=OPSET, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(str(path)))


def export_vae_decoder(decoder, channels: int, lat_h: int, lat_w: int, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    z = torch.randn(2, channels, lat_h, lat_w)
    with torch.no_grad():
        torch.onnx.export(decoder.eval(), (z,), str(path), input_names=["latent_sample"],
                          output_names=["sample"], dynamic_axes={"latent_sample": {0: "frames"},
                                                                  "sample": {0: "frames"}},
                          opset_version=OPSET, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(str(path)))


def fit_preview(latents: np.ndarray, rgb: np.ndarray, scale: int):
    """Least squares rgb_small = bias + latent @ factors, latents [N,C,h,w], rgb [N,3,H,W] in [-1,1]."""
    n, c, h, w = latents.shape
    small = rgb.reshape(n, 3, h, scale, w, scale).mean((3, 5))
    x = latents.transpose(0, 2, 3, 1).reshape(-1, c).astype(np.float64)
    y = small.transpose(0, 2, 3, 1).reshape(-1, 3).astype(np.float64)
    x1 = np.concatenate([x, np.ones((x.shape[0], 1))], 1)
    sol, *_ = np.linalg.lstsq(x1, y, rcond=None)
    factors = [[round(float(v), 6) for v in row] for row in sol[:c]]
    bias = [round(float(v), 6) for v in sol[c]]
    return factors, bias


def manifest(*, name, version, description, cfg, native_width, native_height, fps, vae_scale,
             scaling_factor, text_source="maven:all-minilm-l6-v2", max_tokens=24, preview=None,
             default_steps=25, guidance=5.0, test_fixture=False) -> dict:
    native = cfg.native_context
    return {
        "name": name,
        "version": version,
        "description": description,
        "testFixture": test_fixture,
        "nativeWidth": native_width,
        "nativeHeight": native_height,
        "nativeFps": fps,
        "framesPerChunk": cfg.frames,
        "latentChannels": cfg.latent_channels,
        "latentLayout": cfg.layout,
        "vaeSpatialScale": vae_scale,
        "vaeTemporalScale": 1,
        "vaeScalingFactor": scaling_factor,
        "predictionType": cfg.prediction_type,
        "conditioning": "native" if native else "replacement",
        "textEncoder": {"source": text_source, "tokenizer": text_source, "maxTokens": max_tokens,
                        "hiddenSize": cfg.text_dim},
        "denoiser": {
            "path": "denoiser/model.onnx",
            "sampleInput": "sample",
            "timestepInput": "timestep",
            "timestepType": cfg.timestep_type,
            "textInput": "encoder_hidden_states",
            "textMaskInput": "encoder_attention_mask",
            "contextInput": "context" if native else None,
            "contextMaskInput": "context_mask" if native else None,
            "frameStrideInput": "frame_stride" if cfg.frame_stride else None,
            "output": "out_sample",
        },
        "vaeDecoder": {"path": "vae_decoder/model.onnx", "input": "latent_sample", "output": "sample",
                       "perFrame": True},
        "schedulerConfig": "scheduler/scheduler_config.json",
        "preview": {"latentRgbFactors": preview[0], "latentRgbBias": preview[1]} if preview else None,
        "defaultSteps": default_steps,
        "defaultGuidanceScale": guidance,
    }


def write_bundle(out: Path, model, decoder, man: dict, sched: dict, extra_files: dict | None = None):
    """Write a complete bundle into a temporary sibling dir, then swap it in (readers never see a
    half-written bundle)."""
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    cfg = model.cfg
    export_denoiser(model, tmp / "denoiser" / "model.onnx")
    export_vae_decoder(decoder, cfg.latent_channels, cfg.height, cfg.width, tmp / "vae_decoder" / "model.onnx")
    (tmp / "scheduler").mkdir()
    (tmp / "scheduler" / "scheduler_config.json").write_text(json.dumps(sched, indent=2) + "\n")
    (tmp / "bundle.json").write_text(json.dumps(man, indent=2) + "\n")
    for rel, content in (extra_files or {}).items():
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content)
    old = out.with_name(out.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old)


def torch_model_fn(model):
    """Adapter: numpy in/out around the torch model, fp32, for the reference sampler."""
    cfg = model.cfg

    def fn(sample, timestep, **inputs):
        with torch.no_grad():
            t = torch.from_numpy(np.asarray(timestep))
            args = [torch.from_numpy(np.ascontiguousarray(sample, np.float32)), t,
                    torch.from_numpy(inputs["encoder_hidden_states"]),
                    torch.from_numpy(inputs["encoder_attention_mask"])]
            kwargs = {}
            if cfg.native_context:
                kwargs = {"context": torch.from_numpy(inputs["context"]),
                          "context_mask": torch.from_numpy(inputs["context_mask"])}
            if cfg.frame_stride:
                kwargs["frame_stride"] = torch.from_numpy(inputs["frame_stride"])
            return model(*args, **kwargs).float().numpy()

    return fn


def write_golden(bundle: Path, model, sched: dict, cond: tuple, uncond: tuple, *, seed: int,
                 steps: int, guidance: float, prompt: str, context=None, context_mask=None,
                 frame_stride: float = 1.0, decoder=None):
    """Reference run saved as .npy + golden.json in <bundle>/golden/ (see models/README.md)."""
    cfg = model.cfg
    g = bundle / "golden"
    g.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(_latent_shape(cfg, 1)).astype(np.float32)
    c_inputs = {"encoder_hidden_states": cond[0].astype(np.float32),
                "encoder_attention_mask": cond[1].astype(np.float32)}
    u_inputs = {"encoder_hidden_states": uncond[0].astype(np.float32),
                "encoder_attention_mask": uncond[1].astype(np.float32)}
    files = {"noise": noise, "cond_hidden": c_inputs["encoder_hidden_states"],
             "cond_mask": c_inputs["encoder_attention_mask"],
             "uncond_hidden": u_inputs["encoder_hidden_states"],
             "uncond_mask": u_inputs["encoder_attention_mask"]}
    if cfg.native_context:
        c_inputs["context"] = u_inputs["context"] = context.astype(np.float32)
        c_inputs["context_mask"] = u_inputs["context_mask"] = context_mask.astype(np.float32)
        files["context"] = c_inputs["context"]
        files["context_mask"] = c_inputs["context_mask"]
    if cfg.frame_stride:
        c_inputs["frame_stride"] = u_inputs["frame_stride"] = np.array([frame_stride], np.float32)
        files["frame_stride"] = c_inputs["frame_stride"]
    ts_dtype = np.int64 if cfg.timestep_type == "int64" else np.float32
    fn = torch_model_fn(model)
    ts = ddim.timesteps(sched, steps)
    # One plain denoiser call (first timestep, conditional half) to check ORT against torch alone.
    first = fn(noise, np.array([ts[0]], dtype=ts_dtype), **c_inputs)
    files["first_step_out"] = first.astype(np.float32)
    final = ddim.reference_sample(fn, sched, noise, steps, guidance, c_inputs, u_inputs, ts_dtype)
    files["final_latents"] = final
    if decoder is not None:
        z = final.transpose(0, 2, 1, 3, 4) if cfg.layout == "BCFHW" else final
        with torch.no_grad():
            frame0 = decoder(torch.from_numpy(np.ascontiguousarray(z[0, :1]))).numpy()
        files["decoded_frame0"] = frame0.astype(np.float32)
    for k, v in files.items():
        np.save(g / f"{k}.npy", np.ascontiguousarray(v))
    meta = {
        "description": "PyTorch reference DDIM (eta 0) with classifier-free guidance; see "
                       "models/training/ddim.py for the exact formulas.",
        "prompt": prompt,
        "steps": steps,
        "guidanceScale": guidance,
        "timestepSpacing": sched["timestep_spacing"],
        "timesteps": [int(t) for t in ts],
        "predictionType": sched["prediction_type"],
        "latentLayout": cfg.layout,
        "cfgBatchOrder": ["uncond", "cond"],
        "cfgFormula": "out = uncond + guidanceScale * (cond - uncond)",
        "contextPassedToBothHalves": bool(cfg.native_context),
        "frameStridePassedToBothHalves": bool(cfg.frame_stride),
        "firstStepOut": "denoiser output for noise, timesteps[0], cond inputs (batch 1)",
        "decodedFrame0": "vae_decoder(final_latents frame 0 / vaeScalingFactor), [1,3,H,W]"
        if decoder is not None else None,
        "tolerance": 1e-3,
        "files": {k: {"file": f"{k}.npy", "shape": list(v.shape), "dtype": str(v.dtype)}
                  for k, v in files.items()},
    }
    (g / "golden.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta
