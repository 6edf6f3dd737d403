"""Diffusion schedule and the reference DDIM sampler, written to match diffusers' DDIMScheduler.

This file is the spec the Java samplers are ported from (and checked against with the golden
fixture). Everything is plain numpy in float64; the model is any callable.

Schedule (diffusers ``DDIMScheduler.__init__``)::

    linear:            betas = linspace(beta_start, beta_end, N)
    scaled_linear:     betas = linspace(sqrt(beta_start), sqrt(beta_end), N) ** 2
    squaredcos_cap_v2: betas[i] = min(1 - abar(i+1)/abar(i), 0.999),
                       abar(t) = cos((t/N + 0.008) / 1.008 * pi/2) ** 2
    alphas_cumprod = cumprod(1 - betas)
    final_alpha_cumprod = 1.0 if set_alpha_to_one else alphas_cumprod[0]

Timesteps (``set_timesteps``), for S inference steps, N = num_train_timesteps::

    leading:  ratio = N // S;  t_i = i * ratio for i = 0..S-1, reversed, + steps_offset
    trailing: ratio = N / S (float); t = round_half_even(arange(N, 0, -ratio)) - 1, first S
              (numpy's arange element i = N + i * delta, delta = (N - ratio) - N; numpy's round
               rounds halves to even, i.e. Java Math.rint)
    linspace: t = round_half_even(linspace(0, N - 1, S)) reversed

Step (``step`` with eta = 0), for model output m at timestep t::

    prev_t  = t - N // S            (integer division, for every spacing)
    a_t     = alphas_cumprod[t];   a_prev = alphas_cumprod[prev_t] if prev_t >= 0 else final_alpha_cumprod
    b_t     = 1 - a_t
    epsilon:      x0 = (x - sqrt(b_t) m) / sqrt(a_t);   eps = m
    v_prediction: x0 = sqrt(a_t) x - sqrt(b_t) m;       eps = sqrt(a_t) m + sqrt(b_t) x
    sample:       x0 = m;                               eps = (x - sqrt(a_t) x0) / sqrt(b_t)
    (clip_sample: x0 = clip(x0, -clip_sample_range, clip_sample_range), then no other change)
    x_prev  = sqrt(a_prev) x0 + sqrt(1 - a_prev) eps

Classifier-free guidance: m = m_uncond + g (m_cond - m_uncond), applied to the raw model output.
The model is called with the float (or int64) timestep t; initial latents are the noise itself
(DDIM's init_noise_sigma is 1).
"""
from __future__ import annotations

import math

import numpy as np


def betas_for(config: dict) -> np.ndarray:
    n = int(config["num_train_timesteps"])
    kind = config.get("beta_schedule", "linear")
    b0, b1 = float(config.get("beta_start", 1e-4)), float(config.get("beta_end", 0.02))
    if kind == "linear":
        return np.linspace(b0, b1, n, dtype=np.float64)
    if kind == "scaled_linear":
        return np.linspace(b0 ** 0.5, b1 ** 0.5, n, dtype=np.float64) ** 2
    if kind == "squaredcos_cap_v2":
        f = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
        return np.array([min(1 - f((i + 1) / n) / f(i / n), 0.999) for i in range(n)], np.float64)
    raise ValueError(f"unsupported beta_schedule {kind}")


def alphas_cumprod(config: dict) -> np.ndarray:
    return np.cumprod(1.0 - betas_for(config))


def timesteps(config: dict, steps: int) -> np.ndarray:
    n = int(config["num_train_timesteps"])
    spacing = config.get("timestep_spacing", "leading")
    if spacing == "linspace":
        t = np.linspace(0, n - 1, steps).round()[::-1]
    elif spacing == "leading":
        ratio = n // steps
        t = (np.arange(0, steps) * ratio).round()[::-1] + int(config.get("steps_offset", 0))
    elif spacing == "trailing":
        ratio = n / steps
        t = (np.round(np.arange(n, 0, -ratio)) - 1)[:steps]  # arange may overshoot by one
    else:
        raise ValueError(f"unsupported timestep_spacing {spacing}")
    return t.astype(np.int64).copy()


def ddim_step(config: dict, acp: np.ndarray, steps: int, model_output, t: int, x):
    """One deterministic DDIM step (eta = 0); returns (x_prev, x0_pred). Stateless."""
    n = int(config["num_train_timesteps"])
    prev_t = t - n // steps
    final = 1.0 if config.get("set_alpha_to_one", True) else acp[0]
    a_t = acp[t]
    a_prev = acp[prev_t] if prev_t >= 0 else final
    b_t = 1.0 - a_t
    kind = config.get("prediction_type", "epsilon")
    if kind == "epsilon":
        x0 = (x - b_t ** 0.5 * model_output) / a_t ** 0.5
        eps = model_output
    elif kind == "v_prediction":
        x0 = a_t ** 0.5 * x - b_t ** 0.5 * model_output
        eps = a_t ** 0.5 * model_output + b_t ** 0.5 * x
    elif kind == "sample":
        x0 = model_output
        eps = (x - a_t ** 0.5 * x0) / b_t ** 0.5
    else:
        raise ValueError(kind)
    if config.get("clip_sample", False):
        r = float(config.get("clip_sample_range", 1.0))
        x0 = np.clip(x0, -r, r)
    return a_prev ** 0.5 * x0 + (1.0 - a_prev) ** 0.5 * eps, x0


def reference_sample(model, config: dict, noise: np.ndarray, steps: int, guidance: float,
                     cond: dict, uncond: dict | None, timestep_dtype=np.float32):
    """Reference DDIM + CFG loop. ``model(sample, timestep, **inputs) -> output`` (batched numpy).

    cond/uncond are dicts of the extra model inputs (text states, mask, context...), each with a
    batch dimension equal to noise's. With guidance == 1 or uncond None only cond is evaluated.
    Each step runs the unconditional and conditional halves as one batch [uncond; cond].
    """
    acp = alphas_cumprod(config)
    x = noise.astype(np.float64)
    b = noise.shape[0]
    for t in timesteps(config, steps):
        if uncond is not None and guidance != 1.0:
            inputs = {k: np.concatenate([uncond[k], cond[k]]) for k in cond}
            ts = np.full((2 * b,), t, dtype=timestep_dtype)
            out = model(np.concatenate([x, x]).astype(np.float32), ts, **inputs).astype(np.float64)
            m = out[:b] + guidance * (out[b:] - out[:b])
        else:
            ts = np.full((b,), t, dtype=timestep_dtype)
            m = model(x.astype(np.float32), ts, **cond).astype(np.float64)
        x, _ = ddim_step(config, acp, steps, m, int(t), x)
    return x.astype(np.float32)
