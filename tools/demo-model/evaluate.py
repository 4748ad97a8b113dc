#!/usr/bin/python3
"""Held-out perplexity with llama.cpp's definition (tools/perplexity/perplexity.cpp, no stride):
the text is tokenized with BOS in front; it is cut into floor(n / n_ctx) chunks of n_ctx tokens; each
chunk is evaluated from an empty cache with its first token replaced by BOS; only the second half is
scored (the logits at positions n_ctx/2 .. n_ctx-2 against the tokens that follow them); the result
is exp of the mean negative log-likelihood over all scored tokens.

As a script it evaluates a GGUF written by export_gguf.py, with the tensors exactly as the file holds
them (MXFP4 experts dequantized, F16 matrices widened), or a PyTorch checkpoint:
  evaluate.py --gguf build/vireo-demo.gguf [--text build/heldout.txt] [--ctx 512]
  evaluate.py --checkpoint build/model.pt
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def perplexity(model, ids, n_ctx, batch=4, bos=None):
    """ids: the text's tokens with BOS already in front (llama.cpp's common_tokenize with add_bos)."""
    bos = ids[0] if bos is None else bos
    n_chunk = len(ids) // n_ctx
    if n_chunk < 2:
        raise ValueError("need at least %d tokens for n_ctx %d, have %d" % (2 * n_ctx, n_ctx, len(ids)))
    first = n_ctx // 2
    nll, count = 0.0, 0
    with torch.no_grad():
        for c0 in range(0, n_chunk, batch):
            chunks = []
            for c in range(c0, min(n_chunk, c0 + batch)):
                chunk = list(ids[c * n_ctx:(c + 1) * n_ctx])
                chunk[0] = bos
                chunks.append(chunk)
            x = torch.tensor(chunks)
            logp = F.log_softmax(model(x).double(), dim=-1)                # [b, n_ctx, V]
            pred = logp[:, first:n_ctx - 1]
            nxt = x[:, first + 1:n_ctx]
            nll -= pred.gather(-1, nxt.unsqueeze(-1)).sum().item()
            count += nxt.numel()
    return math.exp(nll / count)


def load_gguf(path):
    """A GptOss model and Tokenizer from the GGUF, with the file's (dequantized) weights."""
    import numpy as np
    import gguf
    import bpe
    import mxfp4
    from model import Config, GptOss

    r = gguf.GGUFReader(path)

    def kv(key):
        f = r.fields[key]
        v = f.parts[f.data[0]]
        if f.types[0] == gguf.GGUFValueType.STRING:
            return bytes(v).decode("utf-8")
        return v.tolist()[0]

    a = "gpt-oss."
    c = Config(vocab=len(r.fields["tokenizer.ggml.tokens"].data), hidden=kv(a + "embedding_length"),
               layers=kv(a + "block_count"), heads=kv(a + "attention.head_count"),
               kv_heads=kv(a + "attention.head_count_kv"), head_dim=kv(a + "attention.key_length"),
               experts=kv(a + "expert_count"), experts_per_token=kv(a + "expert_used_count"),
               expert_ff=kv(a + "expert_feed_forward_length"), window=kv(a + "attention.sliding_window"),
               context=kv(a + "context_length"), rope_base=kv(a + "rope.freq_base"),
               yarn_factor=kv(a + "rope.scaling.factor"),
               yarn_original_context=kv(a + "rope.scaling.original_context_length"),
               eps=kv(a + "attention.layer_norm_rms_epsilon"))
    tensors = {}
    for t in r.tensors:
        shape = [int(d) for d in reversed(t.shape.tolist())]       # numpy order
        if t.tensor_type == gguf.GGMLQuantizationType.MXFP4:
            rows = int(np.prod(shape[:-1]))
            w = mxfp4.dequantize_rows(np.asarray(t.data).reshape(rows, -1), shape[-1]).reshape(shape)
        else:
            w = np.asarray(t.data).astype(np.float32).reshape(shape)
        tensors[t.name] = torch.from_numpy(np.ascontiguousarray(w))
    model = GptOss(c)
    sd = {"embedding.weight": tensors["token_embd.weight"], "norm.scale": tensors["output_norm.weight"],
          "unembedding.weight": tensors["output.weight"]}
    for i in range(c.layers):
        p, q = "blk.%d." % i, "blocks.%d." % i
        sd.update({
            q + "attn_norm.scale": tensors[p + "attn_norm.weight"],
            q + "mlp_norm.scale": tensors[p + "post_attention_norm.weight"],
            q + "attn.sinks": tensors[p + "attn_sinks.weight"],
            q + "moe.router.weight": tensors[p + "ffn_gate_inp.weight"],
            q + "moe.router.bias": tensors[p + "ffn_gate_inp.bias"],
            q + "moe.gate_w": tensors[p + "ffn_gate_exps.weight"], q + "moe.gate_b": tensors[p + "ffn_gate_exps.bias"],
            q + "moe.up_w": tensors[p + "ffn_up_exps.weight"], q + "moe.up_b": tensors[p + "ffn_up_exps.bias"],
            q + "moe.down_w": tensors[p + "ffn_down_exps.weight"], q + "moe.down_b": tensors[p + "ffn_down_exps.bias"],
        })
        for mine, theirs in (("q", "attn_q"), ("k", "attn_k"), ("v", "attn_v"), ("o", "attn_output")):
            sd[q + "attn.%s.weight" % mine] = tensors[p + theirs + ".weight"]
            sd[q + "attn.%s.bias" % mine] = tensors[p + theirs + ".bias"]
    model.load_state_dict(sd)
    tokens = [bytes(r.fields["tokenizer.ggml.tokens"].parts[i]).decode("utf-8")
              for i in r.fields["tokenizer.ggml.tokens"].data]
    merges = [tuple(bytes(r.fields["tokenizer.ggml.merges"].parts[i]).decode("utf-8").split(" "))
              for i in r.fields["tokenizer.ggml.merges"].data]
    tok = bpe.Tokenizer(merges)
    if tok.tokens != tokens:
        raise ValueError("the file's tokens do not follow from its merges")
    return model.eval(), tok


def main():
    import bpe
    from model import Config, GptOss

    ap = argparse.ArgumentParser(description="held-out perplexity, llama.cpp's definition")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--gguf")
    ap.add_argument("--checkpoint")
    ap.add_argument("--merges", default=os.path.join(here, "build", "merges.json"))
    ap.add_argument("--text", default=os.path.join(here, "build", "heldout.txt"))
    ap.add_argument("--ctx", type=int, default=512)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.gguf:
        model, tok = load_gguf(args.gguf)
    else:
        ck = torch.load(args.checkpoint)
        model = GptOss(Config(**ck["config"]))
        model.load_state_dict(ck["model"])
        model.eval()
        tok = bpe.Tokenizer(json.load(open(args.merges, encoding="utf-8")))
    text = open(args.text, encoding="utf-8").read().removesuffix("\n")   # as llama.cpp's -f reads it
    ids = [tok.special("<|startoftext|>")] + tok.encode(text)
    ppl = perplexity(model, ids, args.ctx)
    print("tokens %d, chunks %d of %d, perplexity %.4f" % (len(ids), len(ids) // args.ctx, args.ctx, ppl))


if __name__ == "__main__":
    main()
