#!/usr/bin/python3
"""Writes the fixtures with which core's tests check this directory's Python against Vireo's Java:

  tokenizer.json  ids of a few sentences under the demo model's tokenizer (bpe.py), and the id count
                  and SHA-256 (ids as little-endian int32) of the whole held-out text with BOS in
                  front -> DemoModelTest compares dev.vireo.tokenizer on the shipped GGUF;
  mxfp4.txt       rows of floats and their MXFP4 blocks from mxfp4.quantize_rows: real expert rows of
                  the trained model plus seeded rows with awkward values (exact E2M1 midpoints, amax
                  a few ulps below a power of two, zeros, -0) -> DemoMxfp4Test compares
                  Mxfp4Quantizer byte for byte;
  perplexity.json the held-out perplexity (evaluate.py's llama.cpp definition, n_ctx 512) of the
                  shipped GGUF's own weights, over the first FAST_CHUNKS chunks and over all of them,
                  with the file's SHA-256 -> DemoModelTest runs the Java engine on the same file.

Usage: PYTHONPATH=.cache/llama.cpp/src/gguf-py fixtures.py [--build DIR] [--gguf FILE]
           [--out core/src/test/resources/dev/vireo/demo]
"""
import argparse
import hashlib
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import evaluate  # noqa: E402
import mxfp4  # noqa: E402

FAST_CHUNKS = 12

SENTENCES = [
    "And it came to pass, when men began to multiply on the face of the earth,",
    "In the beginning God created the heaven and the earth.",
    ":hacker: n. [originally, someone who makes furniture with an axe]",
    "I'll grep /dev/null -- it's 1234567 bytes; THE LORD'S doings",
    "Tabs\tand  double  spaces\n\n\nnewlines\r\n and caf\u00e9 \u00a9 1989 \u2014 G\u00f6del",
    "<|endoftext|> is plain text here",
]


def awkward_rows(rng):
    rows = []
    # exact midpoints between E2M1 magnitudes at scale 1: 0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5 (and negatives)
    mids = np.array([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0, -0.25, -0.75, -1.25, -1.75, -2.5, -3.5, -5.0,
                     0.0, -0.0, 6.0, -6.0, 4.0, 3.0, 2.0, 1.5, 1.0, 0.5, -0.5, -1.0, 7.9, -7.99, 0.1, -0.1, 2.25,
                     -4.5], dtype=np.float32)
    rows.append(mids)
    rows.append(mids * np.float32(2.0 ** -7))
    # amax just below a power of two (log2f rounds up there) and just above it
    below = np.float32(np.nextafter(np.float32(8.0), np.float32(0.0)))
    r = (rng.standard_normal(32) * 2).astype(np.float32)
    r[5] = below
    rows.append(r)
    r = (rng.standard_normal(32) * 2).astype(np.float32)
    r[9] = -np.nextafter(np.nextafter(np.float32(0.5), np.float32(0.0)), np.float32(0.0))
    rows.append(r)
    rows.append(np.zeros(32, dtype=np.float32))
    rows.append((rng.standard_normal(64) * 0.02).astype(np.float32))
    return rows


def hexrow(a):
    return " ".join("%08x" % struct.unpack("<I", struct.pack("<f", float(v)))[0] for v in a)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(here, "build"))
    ap.add_argument("--gguf", default=os.path.join(root, "core", "src", "main", "resources", "dev", "vireo", "demo",
                                                   "vireo-demo.gguf"))
    ap.add_argument("--out", default=os.path.join(root, "core", "src", "test", "resources", "dev", "vireo", "demo"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    tok = bpe.Tokenizer(json.load(open(os.path.join(args.build, "merges.json"), encoding="utf-8")))
    held = open(os.path.join(args.build, "heldout.txt"), encoding="utf-8").read().removesuffix("\n")
    ids = [tok.special("<|startoftext|>")] + tok.encode(held)
    digest = hashlib.sha256(b"".join(struct.pack("<i", i) for i in ids)).hexdigest()
    out = {"sentences": [{"text": s, "ids": tok.encode(s)} for s in SENTENCES],
           "heldout": {"tokens": len(ids), "sha256_int32le": digest}}
    with open(os.path.join(args.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write('{"sentences": [\n')
        f.write(",\n".join(json.dumps(s, ensure_ascii=False) for s in out["sentences"]))
        f.write('],\n"heldout": %s}\n' % json.dumps(out["heldout"]))

    rng = np.random.default_rng(20250807)
    rows = awkward_rows(rng)
    ck = torch.load(os.path.join(args.build, "model.pt"))["model"]
    for name, r in (("blocks.0.moe.gate_w", (0, 0)), ("blocks.1.moe.up_w", (3, 17)), ("blocks.3.moe.down_w", (7, 255))):
        rows.append(ck[name][r].float().numpy())
    with open(os.path.join(args.out, "mxfp4.txt"), "w") as f:
        f.write("# MXFP4 fixtures from tools/demo-model/fixtures.py: per row, 'f' + float32 bits, then 'q' + block bytes\n")
        for r in rows:
            q = mxfp4.quantize_rows(r.reshape(1, -1))[0]
            f.write("f " + hexrow(r) + "\n")
            f.write("q " + q.tobytes().hex() + "\n")
    model, gtok = evaluate.load_gguf(args.gguf)
    if gtok.tokens != tok.tokens:
        sys.exit("the GGUF's vocabulary differs from merges.json")
    sha = hashlib.sha256(open(args.gguf, "rb").read()).hexdigest()
    ppl = {"model_sha256": sha, "n_ctx": 512, "tokens": len(ids),
           "fast_chunks": FAST_CHUNKS, "perplexity_fast": round(evaluate.perplexity(model, ids[:FAST_CHUNKS * 512], 512), 4),
           "chunks": len(ids) // 512, "perplexity": round(evaluate.perplexity(model, ids, 512), 4),
           "source": "tools/demo-model/evaluate.py on the GGUF's weights (MXFP4 experts dequantized, F16 widened)"}
    with open(os.path.join(args.out, "perplexity.json"), "w") as f:
        json.dump(ppl, f, indent=1)
        f.write("\n")
    print(json.dumps(ppl))
    print("wrote tokenizer.json (%d held-out tokens) and mxfp4.txt (%d rows)" % (len(ids), len(rows)))


if __name__ == "__main__":
    main()
