"""Caption embeddings, computed once by the same Java text encoder the worker runs.

Train and serve must condition identically, so the token states come from
``dev.reelfarm.worker.model.EmbedCaptions`` (all-MiniLM-L6-v2 via ONNX Runtime, BERT wordpiece,
[CLS] ... [SEP], zero padding to maxTokens). It writes ``<prefix>.hidden.npy`` float32 [N+1,T,384]
and ``<prefix>.mask.npy`` float32 [N+1,T]; row 0 is always the empty prompt "" (the
unconditional/negative prompt), rows 1..N follow the lines of captions.txt.

Embedder command, first match wins:
  1. ``--embedder`` flag / ``REELFARM_EMBEDDER`` env var: a shell command prefix; the stage appends
     ``<captions.txt> <outPrefix> <maxTokens>``;
  2. ``java -cp worker/target/classes:worker/target/lib/*:schema/target/classes
     dev.reelfarm.worker.model.EmbedCaptions`` when the worker is compiled;
  3. ``./reelfarm embed-captions`` (the launcher builds the reactor first if it is stale).
"""
from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
CLASS_FILE = REPO / "worker/target/classes/dev/reelfarm/worker/model/EmbedCaptions.class"


def default_command() -> str:
    env = os.environ.get("REELFARM_EMBEDDER")
    if env:
        return env
    cp = ":".join([str(REPO / "worker/target/classes"), str(REPO / "worker/target/lib") + "/*",
                   str(REPO / "schema/target/classes")])
    if CLASS_FILE.is_file():
        return f"java -cp {shlex.quote(cp)} dev.reelfarm.worker.model.EmbedCaptions"
    return f"{shlex.quote(str(REPO / 'reelfarm'))} embed-captions"


def wait_for_embedder(minutes: float, log=print):
    """Polls for the compiled EmbedCaptions class (or an explicit command) for up to ``minutes``."""
    deadline = time.time() + minutes * 60
    while True:
        if os.environ.get("REELFARM_EMBEDDER") or CLASS_FILE.is_file():
            return True
        if time.time() > deadline:
            return False
        log(f"waiting for {CLASS_FILE.relative_to(REPO)} ...")
        time.sleep(120)


def fake_embeddings(captions: list[str], max_tokens: int):
    """Stand-in text states with the encoder's shapes: a fixed random vector per word (by hash),
    [CLS]/[SEP] vectors at the ends, zero padding. Only for smoke tests and pipeline pilots."""
    def vec(word):
        seed = int(hashlib.sha256(word.encode()).hexdigest()[:8], 16)
        return np.random.default_rng(seed).standard_normal(384).astype(np.float32) * 0.3

    n = len(captions) + 1
    hidden = np.zeros((n, max_tokens, 384), np.float32)
    mask = np.zeros((n, max_tokens), np.float32)
    for i, c in enumerate([""] + captions):
        words = ["[CLS]"] + c.replace(",", " ,").replace(":", " :").split()[: max_tokens - 2] + ["[SEP]"]
        for j, w in enumerate(words):
            hidden[i, j] = vec(w) + 0.05 * vec(f"[POS{j}]")
            mask[i, j] = 1
    return hidden, mask


def embed(captions: list[str], out_prefix: Path, max_tokens: int, command: str | None = None,
          fake: bool = False, log=print):
    """Returns (hidden [N+1,T,384] float32, mask [N+1,T] float32), row 0 = "". Cached by content."""
    out_prefix = Path(out_prefix)
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(captions) + "\n"
    digest = hashlib.sha256((text + f"|{max_tokens}|fake={fake}").encode()).hexdigest()[:16]
    stamp = out_prefix.with_suffix(".sha")
    hidden_p = Path(str(out_prefix) + ".hidden.npy")
    mask_p = Path(str(out_prefix) + ".mask.npy")
    if stamp.is_file() and stamp.read_text().strip() == digest and hidden_p.is_file() and mask_p.is_file():
        return np.load(hidden_p), np.load(mask_p)
    cap_file = Path(str(out_prefix) + ".captions.txt")
    cap_file.write_text(text)
    if fake:
        log("WARNING: --fake-embeddings: hashed word vectors, not MiniLM; for smoke tests only")
        hidden, mask = fake_embeddings(captions, max_tokens)
        np.save(hidden_p, hidden)
        np.save(mask_p, mask)
    else:
        cmd = f"{command or default_command()} {shlex.quote(str(cap_file))} {shlex.quote(str(out_prefix))} {max_tokens}"
        log(f"embedding {len(captions)} captions: {cmd}")
        t = time.time()
        subprocess.run(cmd, shell=True, check=True, cwd=REPO)
        log(f"embedded in {time.time() - t:.0f}s")
    hidden, mask = np.load(hidden_p), np.load(mask_p)
    if hidden.shape != (len(captions) + 1, max_tokens, 384) or mask.shape != hidden.shape[:2]:
        raise RuntimeError(f"embedder wrote {hidden.shape} / {mask.shape}, expected "
                           f"({len(captions) + 1}, {max_tokens}, 384)")
    stamp.write_text(digest + "\n")
    return hidden.astype(np.float32), mask.astype(np.float32)
