"""Video DiT denoiser over latent patches, with cross-attention to text token states.

Inputs follow the bundle contract (see models/README.md): ``sample`` in the bundle's latent layout,
``timestep`` [B] (float32 or int64), ``encoder_hidden_states`` [B,T,384], ``encoder_attention_mask``
[B,T] (1 = real token), for native conditioning ``context`` (clean latents of known frames,
zeros elsewhere, same layout as sample) and ``context_mask`` [B,F] (1 = frame known), and with
``frame_stride`` in the config ``frame_stride`` [B] (native frames from one window frame to the
next: 1 for a chunk, the keyframe spacing for an anchored render's keyframe pass).

Design choices, from the measurements in issue 3:
- the object is drawn by attention, not convolution: patches of the whole clip attend to each other
  (full space-time attention, or factorised space then time), so a rigid object can be moved
  consistently from frame to frame;
- colour words bind to the object or the background through cross-attention to the token states
  (a pooled text vector alone gave colour-correct but shapeless blobs);
- adaLN-single (PixArt-alpha): one modulation from timestep + pooled text, shared by all blocks,
  plus a learned per-block offset, to keep the parameter count small;
- native conditioning: the context latents and mask are extra input channels, and for known frames
  the output is replaced by the exact prediction implied by the context, so a sampler's x0
  estimate of a known frame equals its context at every step.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class DenoiserConfig:
    latent_channels: int = 4
    frames: int = 8
    height: int = 28
    width: int = 16
    layout: str = "BCFHW"  # or BFCHW
    patch: tuple = (1, 2, 2)  # frames, height, width
    dim: int = 128
    depth: int = 6
    heads: int = 4
    mlp_ratio: float = 3.0
    attention: str = "full"  # full | factorised
    text_dim: int = 384
    text_tokens: int = 24
    prediction_type: str = "v_prediction"
    native_context: bool = True
    timestep_type: str = "float32"  # float32 | int64
    conv_mlp: bool = False  # depthwise 3x3x3 conv inside the MLP (locality bias, Mix-FFN)
    sincos_pos: bool = False  # fixed 3D sin-cos position code added to the learned one
    frame_stride: bool = False  # a frame_stride input: native frames between the window's frames
    text_refiner: int = 0  # self-attention layers over the token states before cross-attention
    num_train_timesteps: int = 1000
    alphas_cumprod: list = field(default_factory=list)  # for the known-frame override

    def to_json(self):
        d = asdict(self)
        d["alphas_cumprod"] = None
        d["patch"] = list(self.patch)
        return d

    @classmethod
    def from_json(cls, d: dict) -> "DenoiserConfig":
        """The config ``to_json`` wrote (a checkpoint's or a run's config.json)."""
        return cls(**{**d, "patch": tuple(d["patch"])})


STRIDE_CODE_SCALE = 100.0  # log2(stride) 0..6 spread over the timestep code's frequencies


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class Attention(nn.Module):
    def __init__(self, dim, heads, kv_dim=None):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        kv_dim = kv_dim or dim
        self.kv = nn.Linear(kv_dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, ctx=None, bias=None):
        b, n, d = x.shape
        h = self.heads
        ctx = x if ctx is None else ctx
        m = ctx.shape[1]
        q = self.q(x).reshape(b, n, h, d // h).transpose(1, 2)
        kv = self.kv(ctx).reshape(b, m, 2, h, d // h).permute(2, 0, 3, 1, 4)
        k, v = kv[0], kv[1]
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(d // h))
        if bias is not None:
            att = att + bias
        att = torch.softmax(att, dim=-1)
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, n, d)
        return self.o(y)


def sincos_3d(t: int, h: int, w: int, dim: int) -> torch.Tensor:
    """Fixed sin-cos code of (frame, row, column) per token, [t*h*w, dim] (DiT-style, in 3D)."""
    dt = 2 * (dim // 8)
    dh = 2 * ((dim - dt) // 4)
    dw = dim - dt - dh

    def code(n, d):
        pos = torch.arange(n, dtype=torch.float32)[:, None]
        freq = torch.exp(-math.log(10000.0) * torch.arange(d // 2, dtype=torch.float32) / max(1, d // 2))
        return torch.cat([torch.sin(pos * freq), torch.cos(pos * freq)], dim=1)

    ct, ch, cw = code(t, dt), code(h, dh), code(w, dw)
    grid = torch.cat([ct[:, None, None, :].expand(t, h, w, dt), ch[None, :, None, :].expand(t, h, w, dh),
                      cw[None, None, :, :].expand(t, h, w, dw)], dim=-1)
    return grid.reshape(t * h * w, dim)


class ConvMlp(nn.Module):
    """Linear -> (+ depthwise 3x3 conv over each frame's token grid) -> GELU -> Linear.

    Spatial only: time is mixed by attention, and a depthwise 3D conv is ~10x slower on CPU."""

    def __init__(self, d, hidden, grid):
        super().__init__()
        self.grid = grid  # (T, Hp, Wp)
        self.fc1 = nn.Linear(d, hidden)
        self.dw = nn.Conv2d(hidden, hidden, 3, padding=1, groups=hidden)
        self.act = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(hidden, d)

    def forward(self, x):
        b, n, _ = x.shape
        t, hp, wp = self.grid
        h = self.fc1(x)
        c = h.shape[-1]
        g = h.reshape(b * t, hp, wp, c).permute(0, 3, 1, 2)
        h = h + self.dw(g).permute(0, 2, 3, 1).reshape(b, n, c)
        return self.fc2(self.act(h))


class TextRefiner(nn.Module):
    """Self-attention layers over the projected token states, before the blocks attend to them
    (HunyuanVideo's token refiner): the frozen encoder's states are contextual, but which noun a
    colour word belongs to is left for the cross-attention to untangle, and the default model
    swapped object and background colours on fresh wordings. Residuals are zero-initialised, so
    adding it to a trained model leaves the model's output unchanged until it learns.

    >>> text = torch.randn(2, 3, 8)
    >>> torch.equal(TextRefiner(8, 2, tokens=3, layers=1)(text, torch.zeros(2, 1, 1, 3)), text)
    True
    """

    def __init__(self, d, heads, tokens, layers):
        super().__init__()
        self.pos = nn.Parameter(torch.randn(tokens, d) * 0.02)  # word order, stated outright
        self.layers = nn.ModuleList()
        for _ in range(layers):
            attn = Attention(d, heads)
            mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(approximate="tanh"), nn.Linear(2 * d, d))
            for out in (attn.o, mlp[2]):
                nn.init.zeros_(out.weight)
                nn.init.zeros_(out.bias)
            self.layers.append(nn.ModuleList([nn.LayerNorm(d, eps=1e-6), attn, nn.LayerNorm(d, eps=1e-6), mlp]))

    def forward(self, text, key_bias):
        x = text.float()  # an fp32 residual stream under bf16 autocast, as in the blocks
        for norm_a, attn, norm_m, mlp in self.layers:
            x = x + attn(norm_a(x + self.pos[None]), bias=key_bias)
            x = x + mlp(norm_m(x))
        return x


class Block(nn.Module):
    def __init__(self, cfg: DenoiserConfig):
        super().__init__()
        d = cfg.dim
        self.cfg = cfg
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.attn = Attention(d, cfg.heads)
        if cfg.attention == "factorised":
            self.norm_t = nn.LayerNorm(d, eps=1e-6)
            self.attn_t = Attention(d, cfg.heads)
        self.norm_x = nn.LayerNorm(d, eps=1e-6)
        self.cross = Attention(d, cfg.heads, kv_dim=d)
        self.norm2 = nn.LayerNorm(d, eps=1e-6)
        hidden = int(d * cfg.mlp_ratio)
        if cfg.conv_mlp:
            pt, ph, pw = cfg.patch
            self.mlp = ConvMlp(d, hidden, (cfg.frames // pt, cfg.height // ph, cfg.width // pw))
        else:
            self.mlp = nn.Sequential(nn.Linear(d, hidden), nn.GELU(approximate="tanh"), nn.Linear(hidden, d))
        n_mod = 9 if cfg.attention == "factorised" else 6
        self.mod_offset = nn.Parameter(torch.randn(n_mod, d) / d ** 0.5)

    def forward(self, x, mod, text, text_bias, t_tokens, s_tokens):
        # x [B, N, d], mod [B, n_mod, d]
        mod = mod + self.mod_offset[None]
        b, n, d = x.shape
        if self.cfg.attention == "factorised":
            sh1, sc1, g1, sh_t, sc_t, g_t, sh2, sc2, g2 = mod.unbind(1)
            # spatial: [B*T, S, d]
            h = self.norm1(x) * (1 + sc1[:, None]) + sh1[:, None]
            h = self.attn(h.reshape(b * t_tokens, s_tokens, d)).reshape(b, n, d)
            x = x + g1[:, None] * h
            h = self.norm_t(x) * (1 + sc_t[:, None]) + sh_t[:, None]
            h = h.reshape(b, t_tokens, s_tokens, d).transpose(1, 2).reshape(b * s_tokens, t_tokens, d)
            h = self.attn_t(h).reshape(b, s_tokens, t_tokens, d).transpose(1, 2).reshape(b, n, d)
            x = x + g_t[:, None] * h
        else:
            sh1, sc1, g1, sh2, sc2, g2 = mod.unbind(1)
            h = self.norm1(x) * (1 + sc1[:, None]) + sh1[:, None]
            x = x + g1[:, None] * self.attn(h)
        x = x + self.cross(self.norm_x(x), text, text_bias)
        h = self.norm2(x) * (1 + sc2[:, None]) + sh2[:, None]
        return x + g2[:, None] * self.mlp(h)


class VideoDiT(nn.Module):
    def __init__(self, cfg: DenoiserConfig):
        super().__init__()
        self.cfg = cfg
        c = cfg.latent_channels
        pt, ph, pw = cfg.patch
        assert cfg.frames % pt == 0 and cfg.height % ph == 0 and cfg.width % pw == 0
        self.t_tokens = cfg.frames // pt
        self.s_tokens = (cfg.height // ph) * (cfg.width // pw)
        in_ch = 2 * c + 1 if cfg.native_context else c
        d = cfg.dim
        self.patch_in = nn.Linear(in_ch * pt * ph * pw, d)
        self.pos_t = nn.Parameter(torch.randn(self.t_tokens, d) * 0.02)
        self.pos_s = nn.Parameter(torch.randn(self.s_tokens, d) * 0.02)
        if cfg.sincos_pos:
            self.register_buffer("pos_fixed", sincos_3d(self.t_tokens, cfg.height // ph, cfg.width // pw, d),
                                 persistent=False)
        self.t_mlp = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))
        # MiniLM token states have a few large-magnitude dimensions; normalise them first.
        self.text_norm = nn.LayerNorm(cfg.text_dim, eps=1e-6)
        self.text_in = nn.Linear(cfg.text_dim, d)
        self.pool_mlp = nn.Sequential(nn.Linear(cfg.text_dim, d), nn.SiLU(), nn.Linear(d, d))
        n_mod = 9 if cfg.attention == "factorised" else 6
        self.n_mod = n_mod
        self.adaln = nn.Sequential(nn.SiLU(), nn.Linear(d, n_mod * d))
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(cfg.depth)])
        self.norm_out = nn.LayerNorm(d, eps=1e-6)
        self.out_mod = nn.Sequential(nn.SiLU(), nn.Linear(d, 2 * d))
        self.patch_out = nn.Linear(d, c * pt * ph * pw)
        nn.init.zeros_(self.adaln[1].weight)
        nn.init.zeros_(self.adaln[1].bias)
        nn.init.zeros_(self.patch_out.weight)
        nn.init.zeros_(self.patch_out.bias)
        nn.init.zeros_(self.out_mod[1].weight)
        nn.init.zeros_(self.out_mod[1].bias)
        acp = cfg.alphas_cumprod if cfg.alphas_cumprod else [0.5] * cfg.num_train_timesteps
        self.register_buffer("acp", torch.tensor(np.asarray(acp, np.float32)), persistent=False)
        if cfg.frame_stride:
            # Registered last and zero-initialised, so it can be added to a trained model: its
            # parameters follow the old ones, and stride 1 behaves exactly as before at first.
            self.stride_mlp = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))
            nn.init.zeros_(self.stride_mlp[2].weight)
            nn.init.zeros_(self.stride_mlp[2].bias)
        if cfg.text_refiner:
            # Zero-initialised like the stride input: a fine-tune can add it to a trained model.
            self.text_refiner = TextRefiner(d, cfg.heads, cfg.text_tokens, cfg.text_refiner)

    # -- layout helpers ---------------------------------------------------------------------
    def _to_bcfhw(self, x):
        return x.transpose(1, 2) if self.cfg.layout == "BFCHW" else x

    def _from_bcfhw(self, x):
        return x.transpose(1, 2) if self.cfg.layout == "BFCHW" else x

    def _patchify(self, x):  # [B, C, F, H, W] -> [B, N, C*pt*ph*pw]
        cfg = self.cfg
        pt, ph, pw = cfg.patch
        b, c = x.shape[0], x.shape[1]
        x = x.reshape(b, c, cfg.frames // pt, pt, cfg.height // ph, ph, cfg.width // pw, pw)
        x = x.permute(0, 2, 4, 6, 1, 3, 5, 7)
        return x.reshape(b, self.t_tokens * self.s_tokens, c * pt * ph * pw)

    def _unpatchify(self, x):  # [B, N, C*pt*ph*pw] -> [B, C, F, H, W]
        cfg = self.cfg
        pt, ph, pw = cfg.patch
        b, c = x.shape[0], cfg.latent_channels
        x = x.reshape(b, cfg.frames // pt, cfg.height // ph, cfg.width // pw, c, pt, ph, pw)
        x = x.permute(0, 4, 1, 5, 2, 6, 3, 7)
        return x.reshape(b, c, cfg.frames, cfg.height, cfg.width)

    def forward(self, sample, timestep, encoder_hidden_states, encoder_attention_mask,
                context=None, context_mask=None, frame_stride=None):
        cfg = self.cfg
        x = self._to_bcfhw(sample)
        b = x.shape[0]
        if cfg.native_context:
            ctx = self._to_bcfhw(context)
            m = context_mask[:, None, :, None, None]  # [B,1,F,1,1]
            m_full = m * torch.ones_like(x[:, :1])
            inp = torch.cat([x, ctx * m, m_full], dim=1)
        else:
            inp = x
        h = self.patch_in(self._patchify(inp))
        d = cfg.dim
        pos = (self.pos_t[:, None, :] + self.pos_s[None, :, :]).reshape(1, -1, d)
        h = h + pos
        if cfg.sincos_pos:
            h = h + self.pos_fixed[None]
        tmask = encoder_attention_mask.float()
        states = self.text_norm(encoder_hidden_states)
        pooled = (states * tmask[..., None]).sum(1) / tmask.sum(1, keepdim=True).clamp(min=1.0)
        cond = self.t_mlp(timestep_embedding(timestep, d)) + self.pool_mlp(pooled)
        if cfg.frame_stride:
            # A keyframe pass (stride s) must draw s frames' worth of motion between its frames.
            stride = torch.ones(b, device=x.device) if frame_stride is None else frame_stride.float()
            cond = cond + self.stride_mlp(timestep_embedding(STRIDE_CODE_SCALE * torch.log2(stride), d))
        mod = self.adaln(cond).reshape(b, self.n_mod, d)
        text = self.text_in(states)
        text_bias = ((1.0 - tmask) * -10000.0)[:, None, None, :]
        if cfg.text_refiner:
            text = self.text_refiner(text, text_bias)
        for blk in self.blocks:
            h = blk(h, mod, text, text_bias, self.t_tokens, self.s_tokens)
        shift, scale = self.out_mod(cond).chunk(2, dim=-1)
        h = self.norm_out(h) * (1 + scale[:, None]) + shift[:, None]
        out = self._unpatchify(self.patch_out(h))
        if cfg.native_context and cfg.prediction_type in ("v_prediction", "epsilon"):
            # Known frames: the exact output implied by x_t and the clean context latents.
            idx = torch.clamp(torch.round(timestep.float()), 0, cfg.num_train_timesteps - 1).long()
            a = self.acp[idx][:, None, None, None, None]
            sa, sb = torch.sqrt(a), torch.sqrt(1 - a)
            ctx = self._to_bcfhw(context)
            exact = (sa * x - ctx) / sb if cfg.prediction_type == "v_prediction" else (x - sa * ctx) / sb
            out = out * (1 - m) + exact * m
        elif cfg.native_context:
            out = out * (1 - m) + self._to_bcfhw(context) * m
        return self._from_bcfhw(out)


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
