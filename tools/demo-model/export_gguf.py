#!/usr/bin/python3
"""Writes the trained demo model as a gpt-oss GGUF, laid out as llama.cpp's converter writes the real
one (model-spec.md section 3.4): architecture "gpt-oss", its metadata keys, tensor names and ggml
dimensions, experts in MXFP4 (type 39, ggml's 17-byte blocks, mxfp4.quantize_rows), the other
matrices in F16, norms, biases, sinks and the router in F32, and the byte-level BPE tokenizer
(tokenizer.ggml.model "gpt2", pre-tokenizer "gpt-4o", the harmony special tokens as CONTROL).

The demo model is a plain text model: BOS (<|startoftext|>) is added to every text
(tokenizer.ggml.add_bos_token), and there is no chat template.

Usage: PYTHONPATH=.cache/llama.cpp/src/gguf-py export_gguf.py [--checkpoint build/model.pt]
                 [--merges build/merges.json] [--out build/vireo-demo.gguf]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import gguf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import mxfp4  # noqa: E402
from model import Config  # noqa: E402

ARCH = "gpt-oss"
MOSTLY_MXFP4_MOE = 38  # llama_ftype


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--checkpoint", default=os.path.join(here, "build", "model.pt"))
    ap.add_argument("--merges", default=os.path.join(here, "build", "merges.json"))
    ap.add_argument("--out", default=os.path.join(here, "build", "vireo-demo.gguf"))
    args = ap.parse_args()

    ck = torch.load(args.checkpoint)
    c = Config(**ck["config"])
    sd = {k: v.detach().float().numpy() for k, v in ck["model"].items()}
    tok = bpe.Tokenizer(json.load(open(args.merges, encoding="utf-8")))

    w = gguf.GGUFWriter(args.out, ARCH)
    w.add_name("Vireo demo")
    w.add_description("A small gpt-oss-architecture model trained by the Vireo project on public-domain "
                      "English text (King James Bible, Jargon File 4.4.7); see its README.")
    w.add_file_type(MOSTLY_MXFP4_MOE)
    w.add_quantization_version(gguf.GGML_QUANT_VERSION)

    w.add_context_length(c.context)
    w.add_embedding_length(c.hidden)
    w.add_block_count(c.layers)
    w.add_feed_forward_length(c.expert_ff)
    w.add_head_count(c.heads)
    w.add_head_count_kv(c.kv_heads)
    w.add_key_length(c.head_dim)
    w.add_value_length(c.head_dim)
    w.add_rope_freq_base(c.rope_base)
    w.add_rope_scaling_type(gguf.RopeScalingType.YARN)
    w.add_rope_scaling_factor(c.yarn_factor)
    w.add_rope_scaling_orig_ctx_len(c.yarn_original_context)
    w.add_rope_scaling_yarn_beta_fast(c.beta_fast)
    w.add_rope_scaling_yarn_beta_slow(c.beta_slow)
    w.add_layer_norm_rms_eps(c.eps)
    w.add_expert_count(c.experts)
    w.add_expert_used_count(c.experts_per_token)
    w.add_sliding_window(c.window)
    w.add_expert_feed_forward_length(c.expert_ff)

    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-4o")
    w.add_token_list(tok.tokens)
    types = [gguf.TokenType.CONTROL if t in bpe.SPECIAL_TOKENS else gguf.TokenType.NORMAL for t in tok.tokens]
    w.add_token_types(types)
    w.add_token_merges(["%s %s" % m for m in tok.merges])
    w.add_bos_token_id(tok.special("<|startoftext|>"))
    w.add_eos_token_id(tok.special("<|endoftext|>"))
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    def f16(name, a):
        w.add_tensor(name, a.astype(np.float16))

    def f32(name, a):
        w.add_tensor(name, a.astype(np.float32))

    def experts(name, a):
        # a [E, out, in] -> ggml {in, out, E}: each row of `in` values becomes in/32 blocks.
        E, rows, n = a.shape
        q = mxfp4.quantize_rows(a.reshape(E * rows, n)).reshape(E, rows, n // 32 * 17)
        w.add_tensor(name, q, raw_dtype=gguf.GGMLQuantizationType.MXFP4)

    f16("token_embd.weight", sd["embedding.weight"])                        # {H, V}
    for i in range(c.layers):
        p, q = "blk.%d." % i, "blocks.%d." % i
        f32(p + "attn_norm.weight", sd[q + "attn_norm.scale"])              # {H}
        for mine, theirs in (("q", "attn_q"), ("k", "attn_k"), ("v", "attn_v"), ("o", "attn_output")):
            f16(p + theirs + ".weight", sd[q + "attn.%s.weight" % mine])   # q {H, heads*D}, k/v {H, kv*D}, o {heads*D, H}
            f32(p + theirs + ".bias", sd[q + "attn.%s.bias" % mine])
        f32(p + "attn_sinks.weight", sd[q + "attn.sinks"])                  # {heads}
        f32(p + "post_attention_norm.weight", sd[q + "mlp_norm.scale"])    # {H}
        f32(p + "ffn_gate_inp.weight", sd[q + "moe.router.weight"])        # {H, E}
        f32(p + "ffn_gate_inp.bias", sd[q + "moe.router.bias"])            # {E}
        experts(p + "ffn_gate_exps.weight", sd[q + "moe.gate_w"])          # {H, I, E}
        f32(p + "ffn_gate_exps.bias", sd[q + "moe.gate_b"])                # {I, E}
        experts(p + "ffn_up_exps.weight", sd[q + "moe.up_w"])              # {H, I, E}
        f32(p + "ffn_up_exps.bias", sd[q + "moe.up_b"])                    # {I, E}
        experts(p + "ffn_down_exps.weight", sd[q + "moe.down_w"])          # {I, H, E}
        f32(p + "ffn_down_exps.bias", sd[q + "moe.down_b"])                # {H, E}
    f32("output_norm.weight", sd["norm.scale"])                             # {H}
    f16("output.weight", sd["unembedding.weight"])                          # {H, V}

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print("wrote %s (%d bytes)" % (args.out, os.path.getsize(args.out)))


if __name__ == "__main__":
    main()
