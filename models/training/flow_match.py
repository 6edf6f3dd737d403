"""Rectified-flow Euler sampling, written to match diffusers' FlowMatchEulerDiscreteScheduler.

The spec the Java FlowMatchEulerSampler is ported from, and the reference its golden test is
checked against. The arithmetic is torch float32, as diffusers does it (sigmas are float32 tensors,
the step upcasts the sample to float32).

Forward process (flow matching, Lipman et al. 2023 / rectified flow, Liu et al. 2023), sigma in [0, 1]::

    x_sigma = (1 - sigma) x0 + sigma eps,      the model predicts the velocity v = eps - x0

Schedule (``__init__`` and ``set_timesteps(S)`` with static shift, use_dynamic_shifting false)::

    shifted(s)  = shift * s / (1 + (shift - 1) * s)
    sigma_max   = shifted(1) = 1;  sigma_min = shifted(1 / N)           (float32)
    sigmas      = shifted(linspace(sigma_max * N, sigma_min * N, S) / N)  (float64, then float32)
    timesteps   = sigmas * N          (float32; what the model is given, 1000 at sigma 1)
    sigmas     += [0]

  Note that sigma_min is already shifted and the linspace between it and 1 is shifted again: that
  is what diffusers' set_timesteps does, and it is reproduced here.

Step i (``step``)::

    x_next = x + (sigmas[i+1] - sigmas[i]) * v          (x0 estimate: x - sigmas[i] * v)

The run starts from unit noise (init_noise_sigma 1); the model input is the sample itself.

    /work/venv-flow/bin/python models/training/flow_match.py --out worker/src/test/resources/flow_match_euler_reference.json
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch


def sigmas(num_train_timesteps: int, shift: float, steps: int) -> torch.Tensor:
    """The S sigmas of set_timesteps followed by the final 0, float32 (diffusers' arithmetic)."""
    n = num_train_timesteps
    train = torch.from_numpy(np.linspace(1, n, n, dtype=np.float32)[::-1].copy()).to(torch.float32) / n
    train = shift * train / (1 + (shift - 1) * train)
    sigma_max, sigma_min = train[0].item(), train[-1].item()
    s = np.linspace(sigma_max * n, sigma_min * n, steps) / n
    s = shift * s / (1 + (shift - 1) * s)
    s = torch.from_numpy(s).to(torch.float32)
    return torch.cat([s, torch.zeros(1)])


def timesteps(num_train_timesteps: int, shift: float, steps: int) -> torch.Tensor:
    return sigmas(num_train_timesteps, shift, steps)[:-1] * num_train_timesteps


def sample(model, noise: torch.Tensor, num_train_timesteps: int, shift: float, steps: int):
    """Runs the Euler loop; returns every step's (timestep, sigma, x0 estimate, sample after)."""
    sig = sigmas(num_train_timesteps, shift, steps)
    ts = sig[:-1] * num_train_timesteps
    x = noise.to(torch.float32)
    trace = []
    for i in range(steps):
        v = model(x, ts[i])
        denoised = x - sig[i] * v
        x = x + (sig[i + 1] - sig[i]) * v
        trace.append((float(ts[i]), float(sig[i]), denoised.clone(), x.clone()))
    return trace


def toy_model(x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """The samplers' shared stand-in (SamplerFixtures.toyModel): 0.6 sin(x + 0.002 t) + 0.1 j."""
    j = torch.arange(x.shape[-1], dtype=torch.float32)
    return (0.6 * torch.sin(x.to(torch.float64) + 0.002 * float(t)) + 0.1 * j).to(torch.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    start = torch.tensor([0.3, -1.2, 0.8, 2.0, -0.45, 1.1], dtype=torch.float32)
    cases = []
    for shift in (1.0, 3.0, 5.0):
        for steps in (1, 2, 6, 25):
            trace = sample(toy_model, start, 1000, shift, steps)
            cases.append({
                "shift": shift, "steps": steps,
                "timesteps": [t for t, _, _, _ in trace],
                "sigmas": [s for _, s, _, _ in trace],
                "denoised": [d.tolist() for _, _, d, _ in trace],
                "samples": [x.tolist() for _, _, _, x in trace],
            })
    doc = {
        "description": "diffusers FlowMatchEulerDiscreteScheduler (static shift) in torch float32 on the "
                       "toy model out_j = 0.6 sin(x_j + 0.002 t) + 0.1 j; written by models/training/flow_match.py",
        "numTrainTimesteps": 1000, "initialSample": start.tolist(), "tolerance": 1e-4, "cases": cases,
    }
    Path(args.out).write_text(json.dumps(doc, indent=1) + "\n")
    print("wrote", args.out, len(cases), "cases")


if __name__ == "__main__":
    main()
