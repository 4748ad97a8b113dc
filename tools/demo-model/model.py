"""The gpt-oss architecture in PyTorch, small: the maths of model-spec.md section 1 at a toy size.

Per block (pre-norm residual):  h = x + Attn(RMSNorm(x));  y = h + MoE(RMSNorm(h)).
  * RMSNorm: x * rsqrt(mean(x^2) + eps) * scale, in fp32, eps 1e-5.
  * Attention: Q/K/V/O linear layers with biases; grouped-query heads (query head h reads KV head
    h // (heads / kv_heads)); RoPE half-split ("NeoX") with YaRN frequencies and concentration on Q
    and K; scores scaled by 1/sqrt(head_dim); a learned sink logit per head joins the softmax
    denominator only; even layers see a sliding window of the last `window` positions (self
    included), odd layers the whole causal prefix.
  * MoE: router linear with bias; the top-k raw logits, softmax over those k only; each chosen
    expert computes gate = Wg t + bg, up = Wu t + bu, gate <= limit, -limit <= up <= limit,
    a = gate * sigmoid(alpha * gate) * (up + 1), out = Wd a + bd (bias before the routing weight).
    Gate and up are kept as separate tensors, as the GGUF stores them (the original checkpoint
    interleaves their rows; nothing here depends on that layout).
  * Untied unembedding without bias after a final RMSNorm.
YaRN follows the reference (unrounded correction range); see yarn_inv_freq.
"""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab: int = 4096
    hidden: int = 256
    layers: int = 4
    heads: int = 4
    kv_heads: int = 2
    head_dim: int = 64
    experts: int = 8
    experts_per_token: int = 2
    expert_ff: int = 256
    window: int = 128
    context: int = 1024
    rope_base: float = 65676.0
    yarn_factor: float = 2.0
    yarn_original_context: int = 569
    beta_fast: float = 32.0
    beta_slow: float = 1.0
    eps: float = 1e-5
    swiglu_alpha: float = 1.702
    swiglu_limit: float = 7.0

    def to_dict(self):
        return asdict(self)


def yarn_correction_range(c):
    """The reference's (low, high) in pair-index units, unrounded (model-spec.md 1.4)."""
    half = c.head_dim // 2

    def dim(beta):
        return half * math.log(c.yarn_original_context / (beta * 2 * math.pi)) / math.log(c.rope_base)

    return dim(c.beta_fast), dim(c.beta_slow)


def yarn_inv_freq(c):
    """Per-pair inverse frequencies (float64) and the concentration that scales cos and sin."""
    half = c.head_dim // 2
    low, high = yarn_correction_range(c)
    inv = []
    for i in range(half):
        freq = c.rope_base ** (2 * i / c.head_dim)
        extrapolated, interpolated = 1.0 / freq, 1.0 / (c.yarn_factor * freq)
        ramp = min(max((i - low) / (high - low), 0.0), 1.0)
        inv.append(interpolated * ramp + extrapolated * (1.0 - ramp))
    concentration = 0.1 * math.log(c.yarn_factor) + 1.0
    return torch.tensor(inv, dtype=torch.float64), concentration


def rope_tables(c, positions):
    """cos, sin [positions, head_dim/2] in fp32, both multiplied by the concentration."""
    inv, conc = yarn_inv_freq(c)
    angles = torch.arange(positions, dtype=torch.float32)[:, None] * inv.to(torch.float32)[None, :]
    return torch.cos(angles) * conc, torch.sin(angles) * conc


def apply_rope(x, cos, sin):
    """x [B, heads, T, head_dim]: rotate pairs (i, i + head_dim/2)."""
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class RMSNorm(nn.Module):
    def __init__(self, n, eps):
        super().__init__()
        self.eps = eps
        self.scale = nn.Parameter(torch.ones(n))

    def forward(self, x):
        x32 = x.float()
        return x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps) * self.scale


class Attention(nn.Module):
    def __init__(self, c, layer):
        super().__init__()
        self.c = c
        self.sliding = layer % 2 == 0
        self.q = nn.Linear(c.hidden, c.heads * c.head_dim)
        self.k = nn.Linear(c.hidden, c.kv_heads * c.head_dim)
        self.v = nn.Linear(c.hidden, c.kv_heads * c.head_dim)
        self.o = nn.Linear(c.heads * c.head_dim, c.hidden)
        self.sinks = nn.Parameter(torch.zeros(c.heads))

    def forward(self, x, cos, sin, mask_full, mask_swa):
        c = self.c
        B, T, _ = x.shape
        q = self.q(x).view(B, T, c.heads, c.head_dim).transpose(1, 2)      # [B, H, T, D]
        k = self.k(x).view(B, T, c.kv_heads, c.head_dim).transpose(1, 2)   # [B, KV, T, D]
        v = self.v(x).view(B, T, c.kv_heads, c.head_dim).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        group = c.heads // c.kv_heads
        k = k.repeat_interleave(group, dim=1)                               # [B, H, T, D]
        v = v.repeat_interleave(group, dim=1)
        q = q / math.sqrt(c.head_dim)
        if self.sliding and T > c.window and T % c.window == 0:
            out = self.banded(q, k, v, mask_swa)
        else:
            mask = mask_full if not self.sliding else mask_swa
            out = self.softmax_with_sink(q @ k.transpose(-1, -2) + mask) @ v  # [B, H, T, D]
        return self.o(out.transpose(1, 2).reshape(B, T, c.heads * c.head_dim))

    def softmax_with_sink(self, scores):
        """Softmax over the visible keys plus one sink logit per head, the sink column dropped."""
        sink = self.sinks.view(1, self.c.heads, *([1] * (scores.dim() - 2))).float()
        lse = torch.logaddexp(torch.logsumexp(scores, dim=-1, keepdim=True), sink)
        return torch.exp(scores - lse)

    def banded(self, q, k, v, mask_band):
        """Sliding-window attention by blocks of `window` queries, each against its own block of
        keys and the one before (the same result as the full masked product, for less work)."""
        B, H, T, D = q.shape
        W = self.c.window
        nb = T // W
        pad = k.new_zeros(B, H, W, D)
        kp = torch.cat([pad, k], dim=2)                                     # [B, H, T+W, D]
        vp = torch.cat([pad, v], dim=2)
        kb = torch.cat([kp[:, :, :-W].reshape(B, H, nb, W, D), kp[:, :, W:].reshape(B, H, nb, W, D)], dim=3)
        vb = torch.cat([vp[:, :, :-W].reshape(B, H, nb, W, D), vp[:, :, W:].reshape(B, H, nb, W, D)], dim=3)
        qb = q.reshape(B, H, nb, W, D)
        scores = qb @ kb.transpose(-1, -2) + mask_band                      # [B, H, nb, W, 2W]
        return (self.softmax_with_sink(scores) @ vb).reshape(B, H, T, D)


def swiglu_oai(gate, up, alpha, limit):
    gate = gate.clamp(max=limit)
    up = up.clamp(min=-limit, max=limit)
    return gate * torch.sigmoid(alpha * gate) * (up + 1)


class MoE(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        E, H, I = c.experts, c.hidden, c.expert_ff
        self.router = nn.Linear(H, E)
        self.gate_w = nn.Parameter(torch.empty(E, I, H))   # [expert, out, in]
        self.gate_b = nn.Parameter(torch.zeros(E, I))
        self.up_w = nn.Parameter(torch.empty(E, I, H))
        self.up_b = nn.Parameter(torch.zeros(E, I))
        self.down_w = nn.Parameter(torch.empty(E, H, I))
        self.down_b = nn.Parameter(torch.zeros(E, H))
        self.weight_transform = None  # training swaps in fake quantization here

    def expert_weights(self):
        w = (self.gate_w, self.up_w, self.down_w)
        return w if self.weight_transform is None else tuple(self.weight_transform(t) for t in w)

    def forward(self, x):
        c = self.c
        shape = x.shape
        t = x.reshape(-1, c.hidden)                                          # [N, H]
        logits = self.router(t)                                              # [N, E]
        top_val, top_idx = torch.topk(logits, c.experts_per_token, dim=-1)   # [N, k]
        weights = torch.softmax(top_val, dim=-1)
        gate_w, up_w, down_w = self.expert_weights()
        out = torch.zeros_like(t)
        for e in range(c.experts):
            rows, slot = torch.nonzero(top_idx == e, as_tuple=True)
            if rows.numel() == 0:
                continue
            te = t.index_select(0, rows)
            g = F.linear(te, gate_w[e], self.gate_b[e])
            u = F.linear(te, up_w[e], self.up_b[e])
            y = F.linear(swiglu_oai(g, u, c.swiglu_alpha, c.swiglu_limit), down_w[e], self.down_b[e])
            out.index_add_(0, rows, y * weights[rows, slot].unsqueeze(-1))
        # Switch-style balance statistics (used only by the training loss, not part of the model).
        probs = torch.softmax(logits, dim=-1)
        load = F.one_hot(top_idx, c.experts).float().sum(1).mean(0) / c.experts_per_token
        self.balance = c.experts * (load * probs.mean(0)).sum()
        return out.view(shape)


class Block(nn.Module):
    def __init__(self, c, layer):
        super().__init__()
        self.attn_norm = RMSNorm(c.hidden, c.eps)
        self.attn = Attention(c, layer)
        self.mlp_norm = RMSNorm(c.hidden, c.eps)
        self.moe = MoE(c)

    def forward(self, x, cos, sin, mask_full, mask_swa):
        h = x + self.attn(self.attn_norm(x), cos, sin, mask_full, mask_swa)
        return h + self.moe(self.mlp_norm(h))


class GptOss(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embedding = nn.Embedding(c.vocab, c.hidden)
        self.blocks = nn.ModuleList(Block(c, i) for i in range(c.layers))
        self.norm = RMSNorm(c.hidden, c.eps)
        self.unembedding = nn.Linear(c.hidden, c.vocab, bias=False)
        cos, sin = rope_tables(c, c.context)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)

    def init_weights(self, generator):
        """GPT-2 style: N(0, 0.02), residual outputs scaled by 1/sqrt(2 layers), biases and sinks 0."""
        std = 0.02
        out_std = std / math.sqrt(2 * self.c.layers)
        for name, p in self.named_parameters():
            if name.endswith("scale"):
                nn.init.ones_(p)
            elif p.dim() == 1 or name.endswith("_b") or name.endswith("sinks"):
                nn.init.zeros_(p)
            else:
                s = out_std if (name.endswith("o.weight") or name.endswith("down_w")) else std
                with torch.no_grad():
                    p.normal_(0.0, s, generator=generator)

    @staticmethod
    def masks(T, window):
        """Additive masks: causal [T, T]; sliding [T, T], or per block [nb, W, 2W] for banded()."""
        neg, zero = torch.tensor(float("-inf")), torch.tensor(0.0)
        i = torch.arange(T)[:, None]
        j = torch.arange(T)[None, :]
        full = torch.where(j <= i, zero, neg)
        if T > window and T % window == 0:
            nb = T // window
            qpos = torch.arange(nb)[:, None, None] * window + torch.arange(window)[None, :, None]
            kpos = torch.arange(nb)[:, None, None] * window - window + torch.arange(2 * window)[None, None, :]
            ok = (kpos >= 0) & (kpos <= qpos) & (qpos - kpos < window)
            return full, torch.where(ok, zero, neg)
        return full, torch.where((j <= i) & (i - j < window), zero, neg)

    def forward(self, ids):
        B, T = ids.shape
        mask_full, mask_swa = self.masks(T, self.c.window)
        cos, sin = self.cos[:T], self.sin[:T]
        x = self.embedding(ids)
        for b in self.blocks:
            x = b(x, cos, sin, mask_full, mask_swa)
        return self.unembedding(self.norm(x))

    def balance_loss(self):
        return sum(b.moe.balance for b in self.blocks) / len(self.blocks)


def count_parameters(model):
    total = sum(p.numel() for p in model.parameters())
    c = model.c
    per_expert = 3 * c.hidden * c.expert_ff + 2 * c.expert_ff + c.hidden
    inactive = c.layers * (c.experts - c.experts_per_token) * per_expert
    return total, total - inactive - c.vocab * c.hidden  # active per token, embedding table excluded
