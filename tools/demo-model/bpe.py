"""Byte-level BPE for the demo model: the pre-tokenizer, a trainer and an encoder.

The tokenizer is GPT-2's scheme as llama.cpp reads it from GGUF (tokenizer.ggml.model = "gpt2"):
  * text is cut into words by the o200k pattern (gpt-oss's, model-spec.md section 5), the one Vireo's
    dev.vireo.tokenizer.PreTokenizers uses for tokenizer.ggml.pre = "gpt-4o";
  * each word's UTF-8 bytes are spelled with GPT-2's byte-to-unicode characters (a space is U+0120);
  * a word that is itself a token is emitted whole ("ignore merges", as tiktoken and Vireo do for
    o200k); otherwise merges are applied lowest rank first, the leftmost pair winning ties.

Python's re module has no \\p{..} classes, so the pattern is spelled out with explicit character
ranges from unicodedata (Python 3.11: Unicode 14; the JDK's newer tables differ only on code points
added since, which the training text does not contain), and \\s as Unicode White_Space, which is what
java.util.regex's \\s means with UNICODE_CHARACTER_CLASS. Java's regex engine and Python's are both
backtracking, leftmost-alternative-first, so the same pattern cuts text the same way.
Checked against the Java tokenizer by core's DemoTokenizerTest (expected ids of a few sentences).
"""
import heapq
import re
import sys
import unicodedata
from collections import Counter, defaultdict

# The harmony special tokens (model-spec.md section 4.1) the engine may look for, in o200k_harmony's
# order; all CONTROL. <|startoftext|> is the demo model's BOS, <|endoftext|> separates documents.
SPECIAL_TOKENS = ["<|startoftext|>", "<|endoftext|>", "<|return|>", "<|constrain|>", "<|channel|>",
                  "<|start|>", "<|end|>", "<|message|>", "<|call|>"]

# Unicode White_Space (PropList.txt), i.e. java.util.regex's \s with UNICODE_CHARACTER_CLASS.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def _category_class(categories):
    """The code points of the given general categories as a regex class body of ranges."""
    out, start, prev = [], None, None
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            inside = False  # surrogates never occur in a Python str decoded from UTF-8
        else:
            inside = unicodedata.category(chr(cp)) in categories
        if inside and start is None:
            start = cp
        if not inside and start is not None:
            out.append((start, prev))
            start = None
        prev = cp
    if start is not None:
        out.append((start, prev))

    def esc(cp):
        return "\\U%08x" % cp

    return "".join(esc(a) if a == b else esc(a) + "-" + esc(b) for a, b in out)


def _o200k_pattern():
    letter = _category_class({"Lu", "Ll", "Lt", "Lm", "Lo"})
    number = _category_class({"Nd", "Nl", "No"})
    upper = _category_class({"Lu", "Lt", "Lm", "Lo", "Mn", "Mc", "Me"})
    lower = _category_class({"Ll", "Lm", "Lo", "Mn", "Mc", "Me"})
    ws = WHITE_SPACE
    contraction = "(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
    alternatives = [
        "[^\\r\\n" + letter + number + "]?[" + upper + "]*[" + lower + "]+" + contraction,
        "[^\\r\\n" + letter + number + "]?[" + upper + "]+[" + lower + "]*" + contraction,
        "[" + number + "]{1,3}",
        " ?[^" + ws + letter + number + "]+[\\r\\n/]*",
        "[" + ws + "]*[\\r\\n]+",
        "[" + ws + "]+(?![^" + ws + "])",
        "[" + ws + "]+",
    ]
    return re.compile("|".join(alternatives))


_PATTERN = None


def pre_tokenize(text):
    """The words of text (their concatenation is text), as Vireo's "gpt-4o" pre-tokenizer cuts it."""
    global _PATTERN
    if _PATTERN is None:
        _PATTERN = _o200k_pattern()
    words, last = [], 0
    for m in _PATTERN.finditer(text):
        if m.end() == m.start():
            continue
        if m.start() > last:
            words.append(text[last:m.start()])
        words.append(m.group())
        last = m.end()
    if last < len(text):
        words.append(text[last:])
    return words


def _bytes_to_unicode():
    """GPT-2's byte -> character table: printable Latin-1 stays, the other 68 bytes go to U+0100.."""
    table, shifted = {}, 0
    for b in range(256):
        if 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + shifted)
            shifted += 1
    return table


BYTE_CHAR = _bytes_to_unicode()


def spell(word):
    """A word's UTF-8 bytes in GPT-2's byte characters."""
    return "".join(BYTE_CHAR[b] for b in word.encode("utf-8"))


def train(texts, vocab_size, log=sys.stderr):
    """Learns merges on texts (a list of documents) until 256 + len(merges) + specials = vocab_size.

    Each step merges the most frequent adjacent pair (counted over pre-tokenized words), ties going
    to the pair whose token strings sort first; occurrences are merged left to right without
    overlap, exactly as encode applies a merge. Returns the list of merges (pairs of strings).
    """
    counts = Counter()
    for t in texts:
        counts.update(pre_tokenize(t))
    spelled = Counter()
    for w, c in counts.items():
        spelled[spell(w)] += c
    words = [list(w) for w in spelled]
    freq = list(spelled.values())

    pairs = Counter()
    where = defaultdict(set)
    for i, w in enumerate(words):
        for a, b in zip(w, w[1:]):
            pairs[(a, b)] += freq[i]
            where[(a, b)].add(i)
    heap = [(-c, p) for p, c in pairs.items()]
    heapq.heapify(heap)

    n_merges = vocab_size - 256 - len(SPECIAL_TOKENS)
    merges = []
    while len(merges) < n_merges and heap:
        negc, pair = heapq.heappop(heap)
        if pairs.get(pair, 0) != -negc or negc == 0:
            continue  # stale entry
        merges.append(pair)
        a, b = pair
        new = a + b
        changed = set()
        for i in sorted(where.pop(pair, ())):
            w = words[i]
            f = freq[i]
            for x, y in zip(w, w[1:]):
                pairs[(x, y)] -= f
                changed.add((x, y))
            out, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and w[j] == a and w[j + 1] == b:
                    out.append(new)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
            for x, y in zip(out, out[1:]):
                pairs[(x, y)] += f
                where[(x, y)].add(i)
                changed.add((x, y))
        for p in changed:
            c = pairs[p]
            if c > 0:
                heapq.heappush(heap, (-c, p))
            else:
                pairs.pop(p, None)
        if log and len(merges) % 1000 == 0:
            print("bpe: %d merges, last %r (count %d)" % (len(merges), new, -negc), file=log)
    return merges


class Tokenizer:
    """Encodes text with a vocabulary built from merges: ids 0..255 are the bytes in byte order, then
    one token per merge in rank order, then the special tokens."""

    def __init__(self, merges):
        self.merges = [tuple(m) for m in merges]
        self.tokens = [BYTE_CHAR[b] for b in range(256)] + [a + b for a, b in self.merges] + list(SPECIAL_TOKENS)
        self.ids = {t: i for i, t in enumerate(self.tokens)}
        if len(self.ids) != len(self.tokens):
            raise ValueError("duplicate token strings")
        self.rank = {m: r for r, m in enumerate(self.merges)}
        self.cache = {}

    def special(self, text):
        return self.ids[text]

    def encode_word(self, spelled, ignore_merges=True):
        if ignore_merges and spelled in self.ids:
            return [self.ids[spelled]]
        key = (spelled, ignore_merges)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        parts = list(spelled)
        while len(parts) > 1:
            best, at = None, -1
            for j in range(len(parts) - 1):
                r = self.rank.get((parts[j], parts[j + 1]))
                if r is not None and (best is None or r < best):
                    best, at = r, j
            if best is None:
                break
            parts[at:at + 2] = [parts[at] + parts[at + 1]]
        ids = [self.ids[p] for p in parts]
        self.cache[key] = ids
        return ids

    def encode(self, text, ignore_merges=True):
        """Ids of plain text (special-token strings in it are not recognised)."""
        out = []
        for w in pre_tokenize(text):
            out.extend(self.encode_word(spell(w), ignore_merges))
        return out

    def decode(self, ids):
        inverse = {c: b for b, c in BYTE_CHAR.items()}
        data = bytearray()
        for i in ids:
            t = self.tokens[i]
            if t in SPECIAL_TOKENS:
                data.extend(t.encode("utf-8"))
            else:
                data.extend(inverse[c] for c in t)
        return data.decode("utf-8", errors="replace")
