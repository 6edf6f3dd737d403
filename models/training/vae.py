"""Closed-form "VAE": PCA of 4x4 RGB patches, 4 latent channels per patch (4x spatial, 1x temporal).

Issue 3 measured a PCA of 4x4 patches at reconstruction MSE ~0.0076 with no training, as good as a
4.5-minute conv autoencoder. Being linear it also makes the preview factors exact and the latent
statistics easy to normalise. Channels are whitened (each has unit variance on the data), so the
decoder folds in the per-channel std; the bundle's ``vaeScalingFactor`` is then 1.0 and the
worker's "divide by vaeScalingFactor" is a no-op.

Pixel space is RGB in [-1, 1] (diffusers' convention); frames are [3, H, W].
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

import shapes_world as sw

PATCH = 4


def patches(frames: np.ndarray) -> np.ndarray:
    """[N,H,W,3] in [-1,1] -> [N, H/4, W/4, 48] (order c, ky, kx to match PixelShuffle)."""
    n, h, w, _ = frames.shape
    x = frames.reshape(n, h // PATCH, PATCH, w // PATCH, PATCH, 3)
    x = x.transpose(0, 1, 3, 5, 2, 4)  # n, hy, wx, c, ky, kx
    return x.reshape(n, h // PATCH, w // PATCH, 3 * PATCH * PATCH)


class PcaVae:
    def __init__(self, mean: np.ndarray, basis: np.ndarray, std: np.ndarray):
        self.mean = mean.astype(np.float32)  # [48]
        self.basis = basis.astype(np.float32)  # [C, 48] orthonormal rows
        self.std = std.astype(np.float32)  # [C]
        self.channels = basis.shape[0]

    @staticmethod
    def fit(channels: int = 4, clips: int = 600, seed: int = 1234) -> "PcaVae":
        rng = np.random.default_rng(seed)
        attrs = sw.all_attrs()
        rows = []
        for _ in range(clips):
            a = attrs[int(rng.integers(len(attrs)))]
            video, _, _ = sw.render(a, rng, frames=2, start="free" if rng.random() < 0.3 else "inside")
            rows.append(patches(video * 2 - 1).reshape(-1, 48))
        x = np.concatenate(rows).astype(np.float64)
        mean = x.mean(0)
        cov = np.cov((x - mean).T)
        evals, evecs = np.linalg.eigh(cov)
        order = np.argsort(evals)[::-1][:channels]
        basis = evecs[:, order].T
        # Deterministic sign: largest-magnitude entry of each basis vector positive.
        for i in range(channels):
            if basis[i, np.argmax(np.abs(basis[i]))] < 0:
                basis[i] = -basis[i]
        coef = (x - mean) @ basis.T
        return PcaVae(mean, basis, coef.std(0))

    def encode(self, frames01: np.ndarray) -> np.ndarray:
        """[N,H,W,3] in [0,1] -> whitened latents [N, C, H/4, W/4]."""
        p = patches(frames01 * 2 - 1)
        z = (p - self.mean) @ self.basis.T / self.std
        return z.transpose(0, 3, 1, 2).astype(np.float32)

    def decode_np(self, z: np.ndarray) -> np.ndarray:
        """[N,C,h,w] -> [N,3,H,W] in [-1,1] (unclipped)."""
        n, c, h, w = z.shape
        p = (z.transpose(0, 2, 3, 1) * self.std) @ self.basis + self.mean  # n,h,w,48
        p = p.reshape(n, h, w, 3, PATCH, PATCH).transpose(0, 3, 1, 4, 2, 5)
        return p.reshape(n, 3, h * PATCH, w * PATCH)

    @staticmethod
    def from_decoder_weights(weight: np.ndarray, bias: np.ndarray) -> "PcaVae":
        """The VAE whose decoder has these 1x1 conv weights [48, C, 1, 1] and bias [48] (basis rows
        are orthonormal, so a weight column's norm is its channel's std)."""
        w = np.asarray(weight, np.float64).reshape(weight.shape[0], weight.shape[1])
        std = np.linalg.norm(w, axis=0)
        return PcaVae(np.asarray(bias), (w / std[None, :]).T, std)

    def decoder_module(self) -> "PcaDecoder":
        return PcaDecoder(self.mean, self.basis, self.std)

    def state(self) -> dict:
        return {"mean": self.mean, "basis": self.basis, "std": self.std}

    @staticmethod
    def from_state(d: dict) -> "PcaVae":
        return PcaVae(np.asarray(d["mean"]), np.asarray(d["basis"]), np.asarray(d["std"]))


class PcaDecoder(nn.Module):
    """latent_sample [N,C,h,w] -> sample [N,3,4h,4w]: a 1x1 conv then depth-to-space, clamped."""

    def __init__(self, mean, basis, std):
        super().__init__()
        c = basis.shape[0]
        self.proj = nn.Conv2d(c, 3 * PATCH * PATCH, 1)
        w = (np.asarray(basis).T * np.asarray(std)[None, :]).astype(np.float32)  # [48, C]
        with torch.no_grad():
            self.proj.weight.copy_(torch.from_numpy(w).view(48, c, 1, 1))
            self.proj.bias.copy_(torch.from_numpy(np.asarray(mean, np.float32)))
        self.shuffle = nn.PixelShuffle(PATCH)

    def forward(self, latent_sample):
        return torch.clamp(self.shuffle(self.proj(latent_sample)), -1.0, 1.0)


class RandomConvDecoder(nn.Module):
    """Tiny random per-frame decoder for test fixtures: conv, then depth-to-space by ``scale``."""

    def __init__(self, channels: int, scale: int, seed: int):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.proj = nn.Conv2d(channels, 3 * scale * scale, 3, padding=1)
        with torch.no_grad():
            self.proj.weight.copy_(torch.randn(self.proj.weight.shape, generator=g) * 0.2)
            self.proj.bias.zero_()
        self.shuffle = nn.PixelShuffle(scale)

    def forward(self, latent_sample):
        return torch.tanh(self.shuffle(self.proj(latent_sample)))


if __name__ == "__main__":
    import time
    t = time.time()
    vae = PcaVae.fit()
    print("fit", time.time() - t, "std", vae.std)
    rng = np.random.default_rng(7)
    errs = []
    for a in sw.all_attrs()[::37]:
        v, _, _ = sw.render(a, rng)
        z = vae.encode(v)
        rec = vae.decode_np(z).transpose(0, 2, 3, 1)
        errs.append(np.mean((rec - (v * 2 - 1)) ** 2))
        dec = vae.decoder_module()
        rt = dec(torch.from_numpy(z)).detach().numpy().transpose(0, 2, 3, 1)
        assert np.allclose(np.clip(rec, -1, 1), rt, atol=1e-4)
    print("MSE [-1,1] space", np.mean(errs), "MSE [0,1] space", np.mean(errs) / 4, "z std", z.std((0, 2, 3)))
