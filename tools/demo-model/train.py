#!/usr/bin/python3
"""Trains the demo model: tokenizer, then the gpt-oss network, seeded and reproducible.

Steps (all outputs in --build, default tools/demo-model/build, next to prepare_data.py's output):
  1. byte-level BPE on train.json (bpe.py) -> merges.json; the training stream -> train_ids.npy:
     documents in source order, each followed by <|endoftext|>;
  2. training: every step takes --batch windows of --context tokens at offsets drawn from a seeded
     generator, each starting with the BOS token (<|startoftext|>) in place of the token before the
     window (what llama.cpp's perplexity tool and a fresh prompt present to the model); loss =
     next-token cross entropy + 0.01 * the Switch-style expert balance term; AdamW, linear warm-up
     then cosine decay, gradient clipping at 1;
  3. the last --qat-steps steps see the expert matrices through MXFP4 fake quantization (the file
     stores them in MXFP4); checkpoint-f32.pt is saved just before that phase;
  4. the held-out perplexity (llama.cpp's definition, evaluate.py) is logged every --eval-every steps.
Writes model.pt (weights + config), train_log.tsv (one line per step) and eval_log.tsv.
A run can be interrupted and resumed (--resume): the checkpoint holds the optimizer and sampler
state, so the result is the same as an uninterrupted run on the same machine and libraries.

Usage: nice -n 19 train.py [--build DIR] [--steps N] ... (see README.md for the recorded run)
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import evaluate  # noqa: E402
import mxfp4  # noqa: E402
from model import Config, GptOss, count_parameters  # noqa: E402


def tokenizer_and_stream(build, vocab):
    merges_path = os.path.join(build, "merges.json")
    docs = json.load(open(os.path.join(build, "train.json"), encoding="utf-8"))
    if not os.path.exists(merges_path):
        merges = bpe.train(docs, vocab)
        with open(merges_path, "w", encoding="utf-8") as f:
            json.dump(merges, f, ensure_ascii=False)
    tok = bpe.Tokenizer(json.load(open(merges_path, encoding="utf-8")))
    if len(tok.tokens) != vocab:
        sys.exit("merges.json gives %d tokens, expected %d: delete it to retrain" % (len(tok.tokens), vocab))
    ids_path = os.path.join(build, "train_ids.npy")
    if not os.path.exists(ids_path):
        eot = tok.special("<|endoftext|>")
        stream = []
        for d in docs:
            stream.extend(tok.encode(d))
            stream.append(eot)
        np.save(ids_path, np.array(stream, dtype=np.int16))
    return tok, torch.from_numpy(np.load(ids_path).astype(np.int64))


def lr_at(step, args):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * progress))


def set_qat(model, on):
    for b in model.blocks:
        b.moe.weight_transform = mxfp4.fake_quantize if on else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "build"))
    ap.add_argument("--seed", type=int, default=20250807)
    ap.add_argument("--vocab", type=int, default=4096)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--context", type=int, default=1024)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--min-lr", type=float, default=2e-4)
    ap.add_argument("--warmup", type=int, default=40)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--balance", type=float, default=0.01)
    ap.add_argument("--qat-steps", type=int, default=60)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--stop-after", type=int, default=0,
                    help="end after this step (a checkpoint is saved there) without finishing the schedule;"
                         " a later --resume may continue with another --steps")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(args.seed)
    tok, stream = tokenizer_and_stream(args.build, args.vocab)
    heldout = open(os.path.join(args.build, "heldout.txt"), encoding="utf-8").read()
    held_ids = [tok.special("<|startoftext|>")] + tok.encode(heldout.removesuffix("\n"))
    bos = tok.special("<|startoftext|>")
    print("training stream: %d tokens; held-out: %d tokens" % (len(stream), len(held_ids)), flush=True)

    config = Config(vocab=args.vocab, context=args.context)
    model = GptOss(config)
    model.init_weights(torch.Generator().manual_seed(args.seed))
    total, active = count_parameters(model)
    print("parameters: %d total, %d active per token (embedding table excluded)" % (total, active), flush=True)

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.95))
    sampler = torch.Generator().manual_seed(args.seed + 1)
    start, elapsed = 0, 0.0
    ckpt_path = os.path.join(args.build, "checkpoint.pt")
    log_mode = "w"
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        sampler.set_state(ck["sampler"])
        start, elapsed = ck["step"], ck["elapsed"]
        log_mode = "a"
        for name in ("train_log.tsv", "eval_log.tsv"):  # drop lines written after the checkpoint
            path = os.path.join(args.build, name)
            lines = open(path).read().splitlines(True)
            with open(path, "w") as f:
                f.writelines(l for l in lines if not l[0].isdigit() or int(l.split("\t")[0]) <= start)
        print("resumed at step %d" % start, flush=True)
    log = open(os.path.join(args.build, "train_log.tsv"), log_mode)
    evlog = open(os.path.join(args.build, "eval_log.tsv"), log_mode)
    if log_mode == "w":
        log.write("step\ttokens\tlr\tloss\tbalance\tseconds\n")
        evlog.write("step\tperplexity\tqat\n")

    T, B = args.context, args.batch
    qat_from = args.steps - args.qat_steps
    end = min(args.steps, args.stop_after) if args.stop_after > 0 else args.steps
    for step in range(start, end):
        if step == qat_from:
            torch.save({"config": config.to_dict(), "model": model.state_dict()},
                       os.path.join(args.build, "checkpoint-f32.pt"))
        set_qat(model, step >= qat_from)
        t0 = time.time()
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args)
        offsets = torch.randint(1, len(stream) - T, (B,), generator=sampler)
        windows = torch.stack([stream[o - 1:o + T] for o in offsets.tolist()])  # [B, T+1]
        inputs = windows[:, :-1].clone()
        inputs[:, 0] = bos
        targets = windows[:, 1:]
        model.train()
        logits = model(inputs)
        ce = F.cross_entropy(logits.reshape(-1, config.vocab), targets.reshape(-1))
        balance = model.balance_loss()
        loss = ce + args.balance * balance
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        elapsed += time.time() - t0
        log.write("%d\t%d\t%.6g\t%.5f\t%.4f\t%.1f\n" % (step + 1, (step + 1) * B * T, lr_at(step, args),
                                                      ce.item(), balance.item(), elapsed))
        log.flush()
        print("step %d/%d loss %.4f balance %.3f lr %.2e %.1fs" % (step + 1, args.steps, ce.item(),
                                                                   balance.item(), lr_at(step, args), elapsed),
              flush=True)
        if (step + 1) % args.eval_every == 0 or step + 1 == end:
            model.eval()
            ppl = evaluate.perplexity(model, held_ids, 512)
            evlog.write("%d\t%.4f\t%d\n" % (step + 1, ppl, step >= qat_from))
            evlog.flush()
            print("held-out perplexity %.4f" % ppl, flush=True)
            torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "sampler": sampler.get_state(),
                        "step": step + 1, "elapsed": elapsed}, ckpt_path)
    if end < args.steps:
        print("stopped after step %d of %d (checkpoint saved)" % (end, args.steps), flush=True)
        return
    set_qat(model, False)
    torch.save({"config": config.to_dict(), "model": model.state_dict()}, os.path.join(args.build, "model.pt"))
    print("done: %.1f s of training" % elapsed, flush=True)


if __name__ == "__main__":
    main()
