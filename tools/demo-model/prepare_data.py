#!/usr/bin/python3
"""Extracts the demo model's training text from Debian packages and splits off the held-out slice.

Sources (both public domain; see README.md):
  * the King James Bible, read with the `bible` program of bible-kjv (data in bible-kjv-text): one
    document per book, a "Book N" heading per chapter, one verse per line without its number;
  * the Jargon File 4.4.7 (jargon-text's jargon.txt.gz): one document per chapter, lexicon entry and
    appendix, paragraphs re-flowed onto one line, tables of contents, the glossary index and
    box-drawn tables dropped, typographic quotes and no-break spaces made ASCII.

Held out (never trained on): the books of Ruth, Jonah and Philippians, and the lexicon entries whose
headword starts with Q or V. Output in OUT (default tools/demo-model/build):
  train.json    the training documents, in source order (a JSON list of strings)
  heldout.txt   the held-out documents joined by blank lines (the perplexity text)
  stats.txt     characters and documents per source and split

Usage: prepare_data.py [--out DIR] [--jargon PATH/jargon.txt.gz]
Deterministic: the same packages give byte-identical files.
"""
import argparse
import gzip
import json
import os
import re
import subprocess
import sys

HELD_OUT_BOOKS = {"Ruth", "Jonah", "Philippians"}
HELD_OUT_LETTERS = {"Q", "V"}

ASCII_MAP = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
BOX = re.compile("[\u2500-\u257f]")


def kjv_books():
    """(book, text) for each of the 66 books, in canon order."""
    raw = subprocess.run(["bible", "-l10000", "Gen1:1-Rev22:21"], check=True, capture_output=True,
                         text=True, encoding="ascii").stdout
    books = []
    for line in raw.split("\n"):
        if not line.strip():
            continue
        m = re.fullmatch(r"  +\d+ (.*)", line)
        if m:
            books[-1][1][-1].append(m.group(1).strip())
            continue
        m = re.fullmatch(r"(.+) (\d+)", line)
        if not m:
            sys.exit("unexpected line in bible output: " + repr(line))
        book = m.group(1)
        if not books or books[-1][0] != book:
            books.append((book, []))
        books[-1][1].append([line])
    if len(books) != 66:
        sys.exit("expected 66 books, found %d" % len(books))
    return [(b, "\n\n".join("\n".join(ch) for ch in chapters)) for b, chapters in books]


def jargon_path(given):
    if given:
        return given
    files = subprocess.run(["dpkg", "-L", "jargon-text"], check=True, capture_output=True, text=True).stdout
    for f in files.split("\n"):
        if f.endswith("/jargon.txt.gz"):
            return f
    sys.exit("jargon.txt.gz not found: install jargon-text or pass --jargon")


def paragraphs(lines):
    """Blank-line separated paragraphs; each is (indented, text) with its lines re-flowed."""
    out, cur = [], []
    for line in lines + [""]:
        if line.strip():
            cur.append(line)
        elif cur:
            indented = cur[0].startswith(" ")
            out.append((indented, " ".join(l.strip() for l in cur)))
            cur = []
    return out


def jargon_docs(path):
    """(kind, key, text): kind is 'chapter', 'entry' (key = headword) or 'appendix'."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = f.read().translate(ASCII_MAP).split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("Chapter 1. "))
    glossary = next(i for i, l in enumerate(lines) if l == "Glossary")
    first_entry = next(i for i, l in enumerate(lines) if i > glossary and l.startswith("   :"))
    appendix = next(i for i, l in enumerate(lines) if l.startswith("Appendix A. "))
    docs = []

    def prose(block, kind):
        skipping_toc = False
        for indented, text in paragraphs(block):
            if BOX.search(text):
                continue
            if text == "Table of Contents":
                skipping_toc = True
                continue
            if skipping_toc and len(text) < 70 and not re.search(r"[.!?:\"]$", text):
                continue
            skipping_toc = False
            if not indented:  # a heading: starts a new document
                docs.append([kind, text, [text]])
            else:
                docs[-1][2].append(text)

    prose(lines[start:glossary], "chapter")
    index = False  # inside a letter's index of headwords (a lone letter heading starts one)
    for indented, text in paragraphs(lines[first_entry:appendix]):
        m = re.match(r":([^:]+):", text)
        if m:
            docs.append(["entry", m.group(1), [text]])
            index = False
        elif re.fullmatch(r"[A-Z]|Table of Contents", text):
            index = True
        elif not index and not BOX.search(text):
            docs[-1][2].append(text)
    prose(lines[appendix:], "appendix")
    return [(k, key, "\n\n".join(ps)) for k, key, ps in docs if len(ps) > 1 or k == "entry"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "build"))
    ap.add_argument("--jargon", help="path of jargon.txt.gz (default: found with dpkg -L jargon-text)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    train, heldout, stats = [], [], []
    kjv = kjv_books()
    kt = [t for b, t in kjv if b not in HELD_OUT_BOOKS]
    kh = [t for b, t in kjv if b in HELD_OUT_BOOKS]
    jd = jargon_docs(jargon_path(args.jargon))
    jt = [t for k, key, t in jd if not (k == "entry" and key[:1].upper() in HELD_OUT_LETTERS)]
    jh = [t for k, key, t in jd if k == "entry" and key[:1].upper() in HELD_OUT_LETTERS]
    train = kt + jt
    heldout = kh + jh
    for name, docs in (("kjv train", kt), ("kjv heldout", kh), ("jargon train", jt), ("jargon heldout", jh)):
        stats.append("%-15s %5d documents %9d characters" % (name, len(docs), sum(len(d) for d in docs)))

    with open(os.path.join(args.out, "train.json"), "w", encoding="utf-8") as f:
        json.dump(train, f, ensure_ascii=False, indent=0)
    with open(os.path.join(args.out, "heldout.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n\n".join(heldout) + "\n")
    with open(os.path.join(args.out, "stats.txt"), "w") as f:
        f.write("\n".join(stats) + "\n")
    print("\n".join(stats))


if __name__ == "__main__":
    main()
