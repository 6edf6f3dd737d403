"""How much the text encoder itself knows about words the captions never use.

The denoiser only sees the worker's text encoder (all-MiniLM-L6-v2 token states). For a word that
no training caption contains, the model can only do as well as the encoder places that word near
training words of the same colour or shape. This probe embeds each fresh word alone (mean of its
word-piece states, [CLS]/[SEP] left out), finds the nearest training-vocabulary phrase by cosine,
and counts how often that phrase names the right colour or shape.

The fresh words below were written for this probe: none is a training phrase, and none has a word
of the held-out sets (prompts_heldout.txt, prompts_blind.txt) that the captions lack;
``fresh_words_overlap`` checks both before the probe runs.

    /usr/bin/python3 models/training/tools/lexicon_probe.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import embeddings  # noqa: E402
import shapes_world as world  # noqa: E402

FRESH_COLOUR_WORDS = {
    "red": ["carmine", "cardinal red", "claret", "oxblood"],
    "orange": ["copper", "cantaloupe", "kumquat", "flame orange"],
    "yellow": ["saffron", "citrine", "maize", "blonde"],
    "green": ["sage", "pistachio", "avocado", "chartreuse"],
    "blue": ["periwinkle", "cyan", "lapis", "blueberry"],
    "purple": ["mulberry", "heather", "boysenberry", "fuchsia"],
    "white": ["eggshell", "vanilla", "coconut", "ghost white"],
    "black": ["graphite", "espresso", "anthracite", "crow black"],
}
FRESH_SHAPE_WORDS = {
    "circle": ["hoop", "ring", "wheel", "pellet", "cookie", "moon"],
    "square": ["parcel", "book", "napkin", "stamp", "window pane", "locker"],
    "triangle": ["arrow", "shark tooth", "thorn", "nacho chip", "sail", "roof"],
}


def fresh_words_overlap() -> list[str]:
    """Fresh phrases that are training phrases or hold a word of either held-out set that is not a
    training word (so that the probe measures other words than the held-out sets do)."""
    training = {p for d in (world.COLOUR_WORDS, world.SHAPE_WORDS) for ps in d.values() for p in ps}
    heldout = set().union(*map(world.heldout_words, world.HELDOUT_SETS)) - world.vocabulary()
    fresh = [w for d in (FRESH_COLOUR_WORDS, FRESH_SHAPE_WORDS) for ws in d.values() for w in ws]
    return [w for w in fresh if w in training or set(w.split()) & heldout]


def word_vectors(phrases: list[str]) -> np.ndarray:
    """Unit vectors: the mean of each phrase's word-piece states, without [CLS] and [SEP]."""
    with tempfile.TemporaryDirectory() as tmp:
        hidden, mask = embeddings.embed(phrases, Path(tmp) / "probe", 24, log=lambda *_: None)
    hidden, mask = hidden[1:], mask[1:].copy()
    lengths = mask.sum(1).astype(int)
    mask[:, 0] = 0
    mask[np.arange(len(mask)), lengths - 1] = 0
    vectors = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def probe(vocabulary: dict[str, list[str]], fresh: dict[str, list[str]]) -> list[tuple]:
    """(fresh word, its attribute, nearest training phrase, that phrase's attribute) per word."""
    known = sorted({(p, attr) for attr, ps in vocabulary.items() for p in ps})
    queries = [(w, attr) for attr, ws in fresh.items() for w in ws]
    vectors = word_vectors([p for p, _ in known] + [w for w, _ in queries])
    known_v, query_v = vectors[:len(known)], vectors[len(known):]
    rows = []
    for (word, attr), v in zip(queries, query_v):
        nearest, nearest_attr = known[int(np.argmax(known_v @ v))]
        rows.append((word, attr, nearest, nearest_attr))
    return rows


def main():
    if overlap := fresh_words_overlap():
        sys.exit(f"not fresh: {overlap}")
    for name, vocabulary, fresh in (("colour", world.COLOUR_WORDS, FRESH_COLOUR_WORDS),
                                    ("shape", world.SHAPE_WORDS, FRESH_SHAPE_WORDS)):
        rows = probe(vocabulary, fresh)
        for word, attr, nearest, nearest_attr in rows:
            mark = "ok" if attr == nearest_attr else "--"
            print(f"{mark} {word:14s} {attr:9s} nearest {nearest!r} ({nearest_attr})")
        right = sum(attr == nearest_attr for _, attr, _, nearest_attr in rows)
        print(f"{name}: {right}/{len(rows)} fresh words nearest a training phrase of the same {name}\n")


if __name__ == "__main__":
    main()
