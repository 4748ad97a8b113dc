#!/usr/bin/env python3
"""Hugging Face transformers' answer for a tiny gpt-oss, as a Vireo golden.

Runs transformers' GptOssForCausalLM (eager attention with sinks, float32, experts dequantized from
MXFP4 by transformers' own Mxfp4Config(dequantize=True)) on a checkpoint in OpenAI's Hugging Face
layout and writes, in the format of Vireo's llama.cpp goldens (dev.vireo.reference.Golden):
  - for every prompt position the top-10 logits and the RMS of all logits,
  - the greedy continuation (32 tokens by default, with the KV cache, so sliding layers are exercised),
  - the SHA-256 of the checkpoint (config.json then the *.safetensors files in name order) and the
    versions that produced it.
GptOssTransformersTest (core) compares Vireo with it when the golden file exists.

Two ways to get the checkpoint:
  --model DIR    an existing checkpoint, normally the tiny one Vireo's tests generate byte for byte
                 (run `./mvnw -pl core test -Dtest=GptOssLayoutsTest` first; it lands in
                 .cache/models/tiny-gpt-oss-hf). The golden then names it "tiny-gpt-oss-hf" and the
                 test regenerates it itself.
  --random DIR   a fresh random tiny model (seeded torch init, the shape of Vireo's tiny model by
                 default) saved into DIR in OpenAI's layout: experts quantized to MXFP4 (blocks with
                 element 2j in the low nibble of byte j, E8M0 scales), gate and up interleaved, all else
                 float32; the model the logits come from is the one with the MXFP4-rounded experts.
                 Keep DIR under Vireo's models directory (.cache/models) for the test to find it.

Needs torch and transformers with gpt-oss (>= 4.55) and safetensors; the prompt is read from the
llama.cpp golden (tiny-gpt-oss-f32.json) so both goldens see the same ids. Examples:
  python3 tools/gpt-oss-goldens/make_goldens.py --model .cache/models/tiny-gpt-oss-hf
  python3 tools/gpt-oss-goldens/make_goldens.py --random .cache/models/tiny-gpt-oss-random \
      --out core/src/test/resources/goldens/tiny-gpt-oss-random-transformers.json
"""

import argparse
import hashlib
import json
import math
import os
import sys

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GOLDENS = os.path.join(ROOT, "core", "src", "test", "resources", "goldens")

# E2M1 values by 4-bit code (bit 3 is the sign), model-spec.md section 2.1.
E2M1 = np.array([0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -0.5, -1, -1.5, -2, -3, -4, -6], dtype=np.float32)


def checkpoint_sha256(model_dir):
    """SHA-256 over config.json, then every *.safetensors file in name order (as the Java test computes it)."""
    names = ["config.json"] + sorted(n for n in os.listdir(model_dir) if n.endswith(".safetensors"))
    h = hashlib.sha256()
    for name in names:
        with open(os.path.join(model_dir, name), "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def quantize_mxfp4(w):
    """float32 [..., K] -> (blocks uint8 [..., K/32, 16], scales uint8 [..., K/32], dequantized float32 [..., K]).

    Per block of 32: scale exponent floor(log2(max|x|)) - 2 (so the largest value lands in E2M1's
    [4, 8) range), stored with bias 127; each value takes the nearest E2M1 code (ties to the smaller
    magnitude). Element 2j goes to the low nibble of byte j, element 2j+1 to the high nibble.
    """
    shape = w.shape
    x = w.reshape(-1, 32).astype(np.float32)
    amax = np.abs(x).max(axis=1)
    exp = np.where(amax > 0, np.floor(np.log2(np.where(amax > 0, amax, 1))) - 2, -127).astype(np.int32)
    exp = np.clip(exp, -127, 127)
    scale = np.ldexp(np.float32(1), exp)[:, None].astype(np.float32)
    err = np.abs(x[:, :, None] / scale[:, :, None] - E2M1[None, None, :])
    codes = np.argmin(err, axis=2).astype(np.uint8)  # first (smaller) code wins ties
    deq = (E2M1[codes] * scale).reshape(shape)
    packed = (codes[:, 0::2] | (codes[:, 1::2] << 4)).astype(np.uint8)
    blocks = packed.reshape(*shape[:-1], shape[-1] // 32, 16)
    scales = (exp + 127).astype(np.uint8).reshape(*shape[:-1], shape[-1] // 32)
    return blocks, scales, deq


def save_random(model_dir, args):
    """A seeded random tiny gpt-oss, saved in OpenAI's Hugging Face layout with MXFP4 experts."""
    import torch
    from safetensors.torch import save_file
    from transformers import GptOssConfig, GptOssForCausalLM

    torch.manual_seed(args.seed)
    layer_types = ["sliding_attention" if l % 2 == 0 else "full_attention" for l in range(args.layers)]
    config = GptOssConfig(
        vocab_size=args.vocab, hidden_size=args.hidden, intermediate_size=args.ffn, num_hidden_layers=args.layers,
        num_attention_heads=args.heads, num_key_value_heads=args.kv_heads, head_dim=64,
        num_local_experts=args.experts, num_experts_per_tok=args.used, experts_per_token=args.used,
        sliding_window=128, layer_types=layer_types, max_position_embeddings=131072, rms_norm_eps=1e-5,
        rope_theta=150000.0, swiglu_limit=7.0, tie_word_embeddings=False, attention_bias=True,
        rope_scaling={"rope_type": "yarn", "factor": 32.0, "beta_fast": 32.0, "beta_slow": 1.0,
                      "original_max_position_embeddings": 4096, "truncate": False},
        initializer_range=0.05)
    model = GptOssForCausalLM(config).float().eval()
    tensors = {}
    with torch.no_grad():
        for name, p in model.state_dict().items():
            if name.endswith("mlp.experts.gate_up_proj") or name.endswith("mlp.experts.down_proj"):
                # transformers keeps dequantized experts as [E, in, out]; OpenAI's blocks are [E, out, in/32, 16].
                w = p.transpose(1, 2).contiguous().numpy()
                blocks, scales, deq = quantize_mxfp4(w)
                p.copy_(torch.from_numpy(np.ascontiguousarray(deq.transpose(0, 2, 1))))
                tensors[name + "_blocks"] = torch.from_numpy(blocks)
                tensors[name + "_scales"] = torch.from_numpy(scales)
            elif name.endswith("_bias") and ".experts." in name:
                tensors[name] = p.detach().clone().contiguous()
            else:
                tensors[name] = p.detach().clone().contiguous()
            # Sinks are zero at init; give them a spread like trained ones.
            if name.endswith("self_attn.sinks"):
                tensors[name] = torch.randn(p.shape) * 1.5
    os.makedirs(model_dir, exist_ok=True)
    shard = "model-00000-of-00000.safetensors"
    save_file(tensors, os.path.join(model_dir, shard), metadata={"format": "pt"})
    with open(os.path.join(model_dir, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": {k: shard for k in tensors}}, f, indent=2)
    cfg = config.to_dict()
    cfg["quantization_config"] = {"quant_method": "mxfp4", "modules_to_not_convert": [
        "model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"]}
    cfg["torch_dtype"] = "float32"
    with open(os.path.join(model_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)


def load(model_dir, device):
    import torch
    from transformers import GptOssForCausalLM, Mxfp4Config

    model = GptOssForCausalLM.from_pretrained(
        model_dir, torch_dtype=torch.float32, attn_implementation="eager",
        quantization_config=Mxfp4Config(dequantize=True))
    return model.float().to(device).eval()


def top_entry(pos, logits, top):
    """The golden entry of one position: RMS of all logits, the top ids (highest first, lower id on ties)."""
    import torch

    logits = logits.double()
    rms = math.sqrt(float((logits * logits).mean()))
    vals, idx = torch.topk(logits, min(top + 8, logits.shape[0]))
    order = sorted(zip(vals.tolist(), idx.tolist()), key=lambda p: (-p[0], p[1]))[:top]
    return {"pos": pos, "rms": rms, "top": [[int(i), float(v)] for v, i in order]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--model", help="an existing gpt-oss checkpoint directory (Hugging Face layout)")
    src.add_argument("--random", help="create a random tiny checkpoint in this directory, then use it")
    ap.add_argument("--out", help="golden file to write (default: goldens/<model dir name>-transformers.json,"
                    " tiny-gpt-oss-transformers.json for Vireo's own tiny model)")
    ap.add_argument("--prompt-from", default=os.path.join(GOLDENS, "tiny-gpt-oss-f32.json"),
                    help="a golden whose prompt ids to use (default: the llama.cpp golden)")
    ap.add_argument("--gen", type=int, default=32, help="greedy tokens (default 32)")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--device", default="cpu", help="torch device (default cpu: float32, deterministic)")
    ap.add_argument("--seed", type=int, default=2025)
    for name, default in [("vocab", 201088), ("hidden", 128), ("ffn", 96), ("layers", 4), ("heads", 8),
                          ("kv-heads", 2), ("experts", 8), ("used", 4)]:
        ap.add_argument("--" + name, type=int, default=default, help="--random: %s (default %d)" % (name, default))
    args = ap.parse_args()

    import torch
    import transformers

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    model_dir = args.model or args.random
    if args.random:
        save_random(model_dir, args)
    name = os.path.basename(os.path.normpath(model_dir))
    out = args.out or os.path.join(GOLDENS, ("tiny-gpt-oss" if name == "tiny-gpt-oss-hf" else name)
                                   + "-transformers.json")
    with open(args.prompt_from) as f:
        prompt = json.load(f)["prompt"]

    model = load(model_dir, args.device)
    positions = []
    greedy = []
    with torch.no_grad():
        ids = torch.tensor([prompt], device=args.device)
        result = model(input_ids=ids, use_cache=True)
        logits = result.logits[0].float().cpu()
        for pos in range(len(prompt)):
            positions.append(top_entry(pos, logits[pos], args.top))
        past = result.past_key_values
        nxt = int(torch.argmax(logits[-1]))
        for _ in range(args.gen):
            greedy.append(nxt)
            result = model(input_ids=torch.tensor([[nxt]], device=args.device), past_key_values=past, use_cache=True)
            past = result.past_key_values
            nxt = int(torch.argmax(result.logits[0, -1].float()))

    golden = {
        "model": name,
        "sha256": checkpoint_sha256(model_dir),
        "producer": "transformers %s, torch %s (GptOssForCausalLM, eager attention, float32, Mxfp4Config"
                    "(dequantize=True)), tools/gpt-oss-goldens/make_goldens.py" % (transformers.__version__,
                                                                                 torch.__version__),
        "prompt": prompt,
        "positions": positions,
        "greedy": greedy,
    }
    with open(out, "w") as f:
        json.dump(golden, f, indent=2)
    print("wrote %s (%d positions, %d greedy tokens)" % (out, len(positions), len(greedy)), file=sys.stderr)


if __name__ == "__main__":
    main()
