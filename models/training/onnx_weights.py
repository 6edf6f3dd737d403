"""Reads a denoiser's trained weights back out of its exported ONNX file, so a run can continue
from a committed bundle (run checkpoints are not kept in git).

``torch.onnx.export`` keeps some parameters under their names and folds others into anonymous
initialisers (a Linear's weight, transposed, becomes ``onnx::MatMul_<n>``). The anonymous names
follow the graph, so exporting a model of the same config with its own (random, hence distinct)
weights tells which initialiser holds which parameter: match each exported initialiser to the
parameter equal to it or to its transpose, then copy the bundle's initialiser of that name.
"""
from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

import export


def initialisers(path: Path) -> dict[str, np.ndarray]:
    return {i.name: numpy_helper.to_array(i) for i in onnx.load(str(path)).graph.initializer}


def load_into(model: torch.nn.Module, onnx_path: Path) -> None:
    """Sets every parameter of ``model`` from the denoiser ONNX file ``onnx_path``, which must have
    been exported from a model of the same config; raises ValueError naming what does not fit."""
    trained = initialisers(onnx_path)
    # distinct values in every parameter (zero-initialised biases would all look alike)
    probe = copy.deepcopy(model)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in probe.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
    with tempfile.TemporaryDirectory() as tmp:
        probe_path = Path(tmp) / "probe.onnx"
        export.export_denoiser(probe, probe_path)
        fresh = initialisers(probe_path)
    if fresh.keys() != trained.keys():
        raise ValueError(f"{onnx_path} was exported from another graph: initialisers differ by "
                         f"{sorted(fresh.keys() ^ trained.keys())[:8]}")
    # a parameter by its values, as exported: as is, transposed, or with leading axes of 1
    found: dict[str, tuple[str, bool]] = {}
    params = dict(model.named_parameters())
    probe_values = {n: p.detach().float().numpy() for n, p in probe.named_parameters()}
    for init_name, value in fresh.items():
        for name, v in probe_values.items():
            if name in found or v.size != value.size:
                continue
            if np.array_equal(v, value.reshape(v.shape)):
                found[name] = (init_name, False)
            elif v.ndim == 2 and v.T.shape == value.shape and np.array_equal(v.T, value):
                found[name] = (init_name, True)
    # The positions pos_t[i] + pos_s[j] are folded into one [1, T*S, d] constant; any split of it
    # into a per-frame and a per-cell part is the same function: take the row and column means.
    folded_positions = None
    if "pos_t" not in found and "pos_s" not in found:
        pt, ps = probe_values["pos_t"], probe_values["pos_s"]
        total = (pt[:, None, :] + ps[None, :, :]).reshape(1, -1, pt.shape[1])
        folded_positions = next(
            (n for n, v in fresh.items() if v.shape == total.shape and np.allclose(v, total, atol=1e-6)),
            None)
    missing = sorted(set(params) - set(found) - ({"pos_t", "pos_s"} if folded_positions else set()))
    if missing:
        raise ValueError(f"parameters not found as initialisers of the export: {missing[:8]}")
    with torch.no_grad():
        for name, (init_name, transposed) in found.items():
            value = trained[init_name].T if transposed else trained[init_name]
            params[name].copy_(torch.from_numpy(np.ascontiguousarray(value)).reshape(params[name].shape))
        if folded_positions:
            t, s = params["pos_t"].shape[0], params["pos_s"].shape[0]
            total = trained[folded_positions].reshape(t, s, -1)
            half = total.mean(axis=(0, 1)) / 2
            params["pos_t"].copy_(torch.from_numpy(total.mean(axis=1) - half))
            params["pos_s"].copy_(torch.from_numpy(total.mean(axis=0) - half))
