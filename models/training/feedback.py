"""Reads the feedback dataset that ``./reelfarm feedback export`` writes, for the training recipe.

The export is JSON Lines, one rating per line (``GET /api/v1/feedback``'s ``FeedbackRecord``):
``prompt``, ``negativePrompt``, ``seed``, ``parameters``, ``model`` {name, version, checksum},
``rating`` (1-5), ``tags``, ``comment``, ``video`` {uri, path, frames, durationSeconds}. This module
turns it into what a training run can use: per-caption sampling weights (a caption people rated
well is drawn more often, a badly rated one less or not at all) or a filtered caption list.

    ./reelfarm feedback export --out feedback.jsonl --since 30d
    python3 -c "import sys; sys.path.insert(0, 'models/training'); import feedback; \\
        print(feedback.prompt_ratings(feedback.load('feedback.jsonl')))"

Standard library only. Its tests are the doctests below (the Maven build runs no Python):

    python3 -m doctest -v models/training/feedback.py

>>> import io
>>> lines = io.StringIO(
...     '{"renderId": "r1", "prompt": "A red  circle moving right", "seed": 7, "rating": 5,'
...     ' "tags": ["matches-prompt"], "comment": "", "model": {"name": "tiny-shapes",'
...     ' "version": "step41000", "checksum": "sha256:ab"}, "parameters": {"steps": 25},'
...     ' "video": {"uri": "file:///a.mp4", "path": "/api/v1/renders/r1/video"},'
...     ' "updatedAt": "2026-12-02T10:00:00Z"}\\n'
...     '\\n'
...     '{"renderId": "r2", "prompt": "a red circle moving right", "seed": 8, "rating": 3,'
...     ' "tags": [], "comment": "", "model": {"name": "tiny-shapes", "version": "step40000",'
...     ' "checksum": "sha256:cd"}, "video": {"path": "/api/v1/renders/r2/video"},'
...     ' "updatedAt": "2026-12-02T11:00:00Z"}\\n'
...     '{"renderId": "r3", "prompt": "a blue square jumping", "seed": 9, "rating": 1,'
...     ' "tags": ["wrong-motion"], "comment": "it slides", "model": {"name": "tiny-shapes"},'
...     ' "video": {"path": "/api/v1/renders/r3/video"}, "updatedAt": "2026-12-02T12:00:00Z"}\\n')
>>> records = load(lines)
>>> [(r.render_id, r.rating, r.tags) for r in records]
[('r1', 5, ('matches-prompt',)), ('r2', 3, ()), ('r3', 1, ('wrong-motion',))]
>>> records[0].model_checksum, records[2].model_version
('sha256:ab', None)
>>> prompt_ratings(records)
{'a red circle moving right': 4.0, 'a blue square jumping': 1.0}
>>> [r.render_id for r in load(io.StringIO(""), min_rating=1)]
[]

Only the ratings of one model build, e.g. the checkpoint being fine-tuned:

>>> [r.render_id for r in select(records, checksum="sha256:ab")]
['r1']
>>> [r.render_id for r in select(records, min_rating=3)]
['r1', 'r2']

Weights for the training captions (rating / 3: a 5-star caption is drawn 5/3 as often as an
unrated one, a caption rated below ``drop_below`` not at all):

>>> caption_weights(["a red circle moving right", "a blue square jumping", "a green star"], records)
[1.3333333333333333, 0.0, 1.0]
>>> keep(["A RED circle moving right", "a blue square jumping", "a green star"], records)
['A RED circle moving right', 'a green star']

A malformed line names its line number:

>>> load(io.StringIO('{"prompt": "x", "rating": 9}\\n'))
Traceback (most recent call last):
...
ValueError: line 1: rating must be an integer from 1 to 5, got 9
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

NEUTRAL = 3.0  # the middle of the 1-5 scale: a caption rated 3 keeps its weight
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Feedback:
    """One exported rating with what the training recipe needs of its render."""

    render_id: str
    prompt: str
    seed: int
    rating: int
    tags: tuple[str, ...] = ()
    comment: str = ""
    negative_prompt: str = ""
    model_name: str | None = None
    model_version: str | None = None
    model_checksum: str | None = None
    parameters: dict = field(default_factory=dict)
    video_uri: str | None = None
    video_path: str | None = None
    updated_at: str | None = None


def load(source, min_rating: int = 1) -> list[Feedback]:
    """The records of an export: a path, or an iterable of its lines (blank lines are skipped)."""
    if isinstance(source, (str, Path)):
        with open(source, encoding="utf-8") as f:
            return load(f.readlines(), min_rating)
    records = []
    for n, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            records.append(_record(json.loads(line)))
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(f"line {n}: {e}") from None
    return [r for r in records if r.rating >= min_rating]


def select(records: Iterable[Feedback], min_rating: int = 1, model: str | None = None,
           checksum: str | None = None) -> list[Feedback]:
    """The records rated at least ``min_rating``, of the model ``model`` / build ``checksum``."""
    return [r for r in records if r.rating >= min_rating
            and (model is None or r.model_name == model)
            and (checksum is None or r.model_checksum == checksum)]


def normalise(prompt: str) -> str:
    """The key prompts are grouped by: NFKC, case-folded, whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", prompt).casefold()).strip()


def prompt_ratings(records: Iterable[Feedback]) -> dict[str, float]:
    """The mean rating of each (normalised) prompt, in the order prompts first appear."""
    sums: dict[str, list[int]] = {}
    for r in records:
        sums.setdefault(normalise(r.prompt), []).append(r.rating)
    return {p: sum(v) / len(v) for p, v in sums.items()}


def caption_weights(captions: Iterable[str], records: Iterable[Feedback], default: float = 1.0,
                    drop_below: float = 2.0) -> list[float]:
    """A sampling weight per caption: mean rating / 3 where people rated it, else ``default``;
    0 where the mean rating is below ``drop_below``. Use as ``rng.choice(n, p=w / w.sum())``."""
    means = prompt_ratings(records)
    weights = []
    for c in captions:
        mean = means.get(normalise(c))
        weights.append(default if mean is None else 0.0 if mean < drop_below else mean / NEUTRAL)
    return weights


def keep(captions: Iterable[str], records: Iterable[Feedback], drop_below: float = 2.0) -> list[str]:
    """The captions whose mean rating is not below ``drop_below`` (unrated ones are kept)."""
    means = prompt_ratings(records)
    return [c for c in captions if means.get(normalise(c), drop_below) >= drop_below]


def _record(d: dict) -> Feedback:
    rating = d["rating"]
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValueError(f"rating must be an integer from 1 to 5, got {rating!r}")
    if not isinstance(d["prompt"], str):
        raise ValueError("prompt must be a string")
    model = d.get("model") or {}
    video = d.get("video") or {}
    return Feedback(
        render_id=str(d.get("renderId", "")),
        prompt=d["prompt"],
        seed=int(d.get("seed", 0)),
        rating=rating,
        tags=tuple(d.get("tags") or ()),
        comment=d.get("comment") or "",
        negative_prompt=d.get("negativePrompt") or "",
        model_name=model.get("name"),
        model_version=model.get("version"),
        model_checksum=model.get("checksum"),
        parameters=dict(d.get("parameters") or {}),
        video_uri=video.get("uri"),
        video_path=video.get("path"),
        updated_at=d.get("updatedAt"),
    )
