"""Times a bundle's denoiser per sampling step on CPU and GPU and checks each result against the
bundle's golden run (the same check the Java worker's GoldenParityTest makes, tolerance 1e-3).

    /usr/bin/python3 models/training/bench_denoiser.py --save-weights tiny-shapes.pt
    python3 models/training/bench_denoiser.py --weights tiny-shapes.pt --threads 2,16 --out bench.json

Backends, each run where it can: ``ort-cpu`` and ``ort-cuda`` run the bundle's ONNX file through
ONNX Runtime (the file and execution providers the worker uses); ``torch-cpu`` and ``torch-cuda``
run the training code's VideoDiT with the bundle's weights (``--weights``, a state dict written by
``--save-weights`` where torch 1.13 reads the ONNX back: onnx_weights.py re-exports a probe model,
and newer torch exports name initialisers differently). One step is
one classifier-free-guidance denoiser call at batch 2 plus the DDIM update, as in the worker.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import ddim  # noqa: E402


def golden_inputs(bundle: Path):
    g = bundle / "golden"
    meta = json.loads((g / "golden.json").read_text())
    arrays = {name: np.load(g / spec["file"]) for name, spec in meta["files"].items()}
    return meta, arrays


def model_inputs(arrays, half: str) -> dict:
    inputs = {"encoder_hidden_states": arrays[f"{half}_hidden"], "encoder_attention_mask": arrays[f"{half}_mask"]}
    for name in ("context", "context_mask", "frame_stride"):
        if name in arrays:
            inputs[name] = arrays[name]
    return inputs


def ort_backend(bundle: Path, provider: str, threads: int):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    session = ort.InferenceSession(str(bundle / "denoiser" / "model.onnx"), opts, providers=[provider])
    if session.get_providers()[0] != provider:
        raise RuntimeError(f"{provider} not used: {session.get_providers()}")

    def run(sample, timestep, **inputs):
        feed = {"sample": sample, "timestep": timestep.astype(np.float32), **inputs}
        return session.run(["out_sample"], feed)[0]

    return run, lambda: None


def video_dit(config: dict | None, sched: dict):
    """VideoDiT of ``config``, else of train.py's default flags with the frame-stride input (the
    committed model's recipe)."""
    import train
    from denoiser import DenoiserConfig, VideoDiT

    if config is None:
        cfg = train.denoiser_config(train.parse_args(["--frame-stride-share", "0.25"]))
    else:
        cfg = DenoiserConfig.from_json(config)
    cfg.alphas_cumprod = list(ddim.alphas_cumprod(sched))
    return VideoDiT(cfg)


def torch_backend(model, weights: Path, device: str, threads: int):
    import torch

    torch.set_num_threads(threads)
    model.load_state_dict(torch.load(str(weights), map_location="cpu"))
    model = model.to(device).eval()
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

    def run(sample, timestep, **inputs):
        with torch.no_grad():
            args = {k: torch.from_numpy(np.ascontiguousarray(v)).to(device) for k, v in inputs.items()}
            out = model(torch.from_numpy(sample).to(device), torch.from_numpy(timestep.astype(np.float32)).to(device),
                        **args)
            return out.float().cpu().numpy()

    return run, sync


def measure(run, sync, sched: dict, meta: dict, arrays: dict, steps: int, repeats: int) -> dict:
    cond, uncond = model_inputs(arrays, "cond"), model_inputs(arrays, "uncond")
    golden_steps, guidance = meta["steps"], meta["guidanceScale"]
    latents = ddim.reference_sample(run, sched, arrays["noise"], golden_steps, guidance, cond, uncond)
    golden_diff = float(np.abs(latents - arrays["final_latents"]).max())
    ddim.reference_sample(run, sched, arrays["noise"], steps, guidance, cond, uncond)  # warm-up
    per_step = []
    for _ in range(repeats):
        sync()
        start = time.perf_counter()
        ddim.reference_sample(run, sched, arrays["noise"], steps, guidance, cond, uncond)
        sync()
        per_step.append((time.perf_counter() - start) * 1000 / steps)
    return {"msPerStep": round(statistics.median(per_step), 3), "msPerStepAll": [round(v, 3) for v in per_step],
            "goldenMaxAbsDiff": golden_diff, "finalLatents": latents}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", default=str(HERE.parents[1] / "models" / "tiny-shapes"))
    ap.add_argument("--config", help="the denoiser's DenoiserConfig as JSON (a run's config.json 'denoiser'); "
                                     "default: train.py's defaults, as the committed model was trained")
    ap.add_argument("--weights", help="state dict of the bundle's denoiser for the torch backends")
    ap.add_argument("--save-weights", help="read the bundle's ONNX weights into VideoDiT, save them here, exit")
    ap.add_argument("--steps", type=int, default=25, help="sampling steps per timed chunk (the bundle default)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", default="2", help="comma-separated CPU thread counts to time")
    ap.add_argument("--backends", default="ort-cpu,ort-cuda,torch-cpu,torch-cuda")
    ap.add_argument("--out", help="write the results here as JSON")
    args = ap.parse_args(argv)
    bundle = Path(args.bundle)
    sched = json.loads((bundle / "scheduler" / "scheduler_config.json").read_text())
    config = json.loads(Path(args.config).read_text()) if args.config else None
    if config is not None:
        config = config.get("denoiser", config)
    if args.save_weights:
        import torch
        import onnx_weights

        model = video_dit(config, sched)
        onnx_weights.load_into(model, bundle / "denoiser" / "model.onnx")
        torch.save(model.state_dict(), args.save_weights)
        return
    meta, arrays = golden_inputs(bundle)
    results, reference = {}, None
    for backend in args.backends.split(","):
        device = "cuda" if backend.endswith("cuda") else "cpu"
        for threads in ([1] if device == "cuda" else [int(t) for t in args.threads.split(",")]):
            name = backend if device == "cuda" else f"{backend}-{threads}t"
            try:
                if backend.startswith("ort"):
                    provider = "CUDAExecutionProvider" if device == "cuda" else "CPUExecutionProvider"
                    run, sync = ort_backend(bundle, provider, threads)
                else:
                    if not args.weights:
                        raise RuntimeError("needs --weights")
                    run, sync = torch_backend(video_dit(config, sched), Path(args.weights), device, threads)
                r = measure(run, sync, sched, meta, arrays, args.steps, args.repeats)
            except Exception as e:  # a backend this machine lacks is reported, not fatal
                results[name] = {"error": f"{type(e).__name__}: {e}"[:300]}
                print(name, results[name]["error"], flush=True)
                continue
            latents = r.pop("finalLatents")
            if reference is None and device == "cpu":
                reference = (name, latents)
            if reference is not None:
                r["maxAbsDiffFrom"] = {reference[0]: float(np.abs(latents - reference[1]).max())}
            results[name] = r
            print(name, json.dumps(r), flush=True)
    report = {"bundle": str(bundle), "steps": args.steps, "guidanceScale": meta["guidanceScale"],
              "goldenSteps": meta["steps"], "goldenTolerance": meta["tolerance"],
              "machine": platform.processor() or platform.machine(), "results": results}
    try:
        import torch

        if torch.cuda.is_available():
            report["gpu"] = torch.cuda.get_device_name(0)
    except ImportError:
        pass
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
