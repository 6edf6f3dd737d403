"""Procedural "shapes world": one rigid object over a solid or gradient background, with captions.

Everything here is numpy and seeded by the caller's ``np.random.Generator``; nothing depends on
torch. The palette, held-out combinations and caption vocabulary are the single source of truth
for training, the eval prompt file and ``palette.json`` (read by the Java eval).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, asdict
from pathlib import Path

import numpy as np

WIDTH, HEIGHT, FRAMES = 64, 112, 8

# Exact RGB (0..255) of the eight colours; chosen far apart so nearest-colour scoring is robust.
PALETTE = {
    "red": (230, 25, 25),
    "orange": (255, 140, 0),
    "yellow": (255, 225, 0),
    "green": (30, 175, 45),
    "blue": (30, 70, 230),
    "purple": (140, 40, 200),
    "white": (245, 245, 245),
    "black": (15, 15, 15),
}
COLOURS = list(PALETTE)
SHAPES = ["circle", "square", "triangle"]
MOTIONS = ["left", "right", "up", "down", "still"]
BACKGROUNDS = ["solid", "gradient"]

# Object area as a fraction of the frame. Objects at ~5% were never learned (issue 3); 10-16% keeps
# them well inside a 64-pixel-wide frame while moving.
AREA_MIN, AREA_MAX = 0.10, 0.16
# Speed of moving objects in native pixels per frame (8 fps): 14-21 px over one 8-frame chunk, about
# the object's size. At 1-2 px/frame (7-14 px) the frames of a moving object differed from a still
# one by a sliver at each edge, and after 3,000 steps the model still drew every object still.
SPEED_MIN, SPEED_MAX = 2.0, 3.0
# Far end of a gradient background: the colour blended this far towards black or white.
GRADIENT_AMOUNT = 0.25

# (object colour, shape, background colour) triples never rendered in training.
HELD_OUT = [
    ("red", "circle", "blue"),
    ("orange", "triangle", "purple"),
    ("yellow", "square", "black"),
    ("green", "circle", "white"),
    ("blue", "triangle", "yellow"),
    ("purple", "square", "green"),
    ("white", "triangle", "red"),
    ("black", "circle", "orange"),
    ("red", "square", "green"),
    ("orange", "circle", "blue"),
    ("yellow", "triangle", "purple"),
    ("green", "square", "black"),
    ("blue", "circle", "orange"),
    ("purple", "triangle", "white"),
    ("white", "square", "blue"),
    ("black", "triangle", "yellow"),
]
HELD_OUT_SET = set(HELD_OUT)


def _rgb01(name: str) -> np.ndarray:
    return np.asarray(PALETTE[name], dtype=np.float32) / 255.0


def _nearest(rgb: np.ndarray) -> str:
    d = {c: float(np.linalg.norm(rgb - _rgb01(c))) for c in COLOURS}
    return min(d, key=d.get)


def gradient_target(name: str) -> str:
    """Blend target (black or white) whose far end stays clearly nearest to the colour itself."""
    best, best_margin = "black", -1.0
    for target in ("black", "white"):
        if target == name:
            continue
        far = (1 - GRADIENT_AMOUNT) * _rgb01(name) + GRADIENT_AMOUNT * np.array(
            [0.0, 0.0, 0.0] if target == "black" else [1.0, 1.0, 1.0], dtype=np.float32)
        own = np.linalg.norm(far - _rgb01(name))
        other = min(np.linalg.norm(far - _rgb01(c)) for c in COLOURS if c != name)
        if other - own > best_margin:
            best, best_margin = target, other - own
    return best


GRADIENT_TARGET = {c: gradient_target(c) for c in COLOURS}


def palette_json() -> dict:
    return {
        "colours": {c: list(PALETTE[c]) for c in COLOURS},
        "gradient": {"amount": GRADIENT_AMOUNT,
                     "towards": {c: GRADIENT_TARGET[c] for c in COLOURS}},
        "shapes": SHAPES,
        "motions": MOTIONS,
        "frame": {"width": WIDTH, "height": HEIGHT, "framesPerChunk": FRAMES},
        "objectAreaFraction": [AREA_MIN, AREA_MAX],
        "speedPixelsPerFrame": [SPEED_MIN, SPEED_MAX],
        "heldOut": [{"objectColour": o, "shape": s, "backgroundColour": b} for o, s, b in HELD_OUT],
    }


@dataclass(frozen=True)
class Attrs:
    obj: str
    bg: str
    shape: str
    motion: str
    bg_kind: str  # solid | gradient

    @property
    def held_out(self) -> bool:
        return (self.obj, self.shape, self.bg) in HELD_OUT_SET


def all_attrs(held_out: bool | None = None) -> list[Attrs]:
    out = []
    for o in COLOURS:
        for b in COLOURS:
            if o == b:
                continue
            for s in SHAPES:
                for m in MOTIONS:
                    for k in BACKGROUNDS:
                        a = Attrs(o, b, s, m, k)
                        if held_out is None or a.held_out == held_out:
                            out.append(a)
    return out


# ----------------------------------------------------------------------------------------------
# Rendering


def _shape_alpha(shape: str, cx: float, cy: float, size: float, xs: np.ndarray, ys: np.ndarray):
    """Anti-aliased coverage (0..1) of a shape centred at (cx, cy); size = sqrt(area) in px."""
    dx, dy = xs - cx, ys - cy
    if shape == "circle":
        r = size / math.sqrt(math.pi)
        sd = np.sqrt(dx * dx + dy * dy) - r
    elif shape == "square":
        h = size / 2
        sd = np.maximum(np.abs(dx), np.abs(dy)) - h
    else:  # isosceles triangle pointing up, height = 1.1 * base, centred on its bounding box
        base = size / math.sqrt(0.55)
        height = 1.1 * base
        top, bottom = -height / 2, height / 2
        # Edges as half-planes n.p <= c; signed distance approximated by the max over edges.
        d_bottom = dy - bottom
        nx, ny = height, -base / 2  # outward normal of the right edge (unnormalised)
        norm = math.hypot(nx, ny)
        d_right = (nx * dx + ny * (dy - top)) / norm
        d_left = (-nx * dx + ny * (dy - top)) / norm
        sd = np.maximum(d_bottom, np.maximum(d_right, d_left))
    return np.clip(0.5 - sd, 0.0, 1.0)


def shape_extent(shape: str, size: float) -> tuple[float, float]:
    """Half width and half height of the shape's bounding box."""
    if shape == "circle":
        r = size / math.sqrt(math.pi)
        return r, r
    if shape == "square":
        return size / 2, size / 2
    base = size / math.sqrt(0.55)
    return base / 2, 1.1 * base / 2


_YS, _XS = np.meshgrid(np.arange(HEIGHT, dtype=np.float32) + 0.5,
                       np.arange(WIDTH, dtype=np.float32) + 0.5, indexing="ij")


def background(a: Attrs, rng: np.random.Generator) -> np.ndarray:
    c = _rgb01(a.bg)
    img = np.broadcast_to(c, (HEIGHT, WIDTH, 3)).astype(np.float32)
    if a.bg_kind == "gradient":
        far = np.zeros(3, np.float32) if GRADIENT_TARGET[a.bg] == "black" else np.ones(3, np.float32)
        far = (1 - GRADIENT_AMOUNT) * c + GRADIENT_AMOUNT * far
        ang = rng.uniform(0, 2 * math.pi)
        u = (_XS - WIDTH / 2) * math.cos(ang) + (_YS - HEIGHT / 2) * math.sin(ang)
        u = (u - u.min()) / (u.max() - u.min())
        img = c + (far - c) * u[..., None]
    return img


# An unconditioned clip (the first chunk of a render, or the anchor pass) starts with the object
# this close to the frame centre (px). With the start anywhere, an under-trained denoiser averages
# over positions and draws big round blobs that never move: the colour was learned in 20 minutes
# but shape and motion stayed at chance after 1.1 h (issue 3). A near-fixed start makes the clip
# almost a function of the caption, so shape and motion are learned like colour was.
CENTRE_JITTER = 3.0


def render(a: Attrs, rng: np.random.Generator, frames: int = FRAMES, start: str = "centre",
           speed_range: tuple = (SPEED_MIN, SPEED_MAX), stride: int = 1):
    """Render one clip: (video [F,H,W,3] in 0..1, object coverage [F,H,W] in 0..1, meta dict).

    start="centre" begins near the frame centre (how an unconditioned chunk starts); "inside"
    anywhere that keeps the whole object in the frame for every frame; "free" anywhere with its
    centre inside (so it may be cut by the border), as in later chunks of a long clip. Chunks with
    context frames learn the other starts, so a render can continue wherever the object went.
    speed_range (px/frame) defaults to the captioned speeds; slower clips teach infill between
    keyframes that a low-frame-rate anchor pass placed close together. stride > 1 renders every
    stride-th frame of a longer clip (an anchored render's keyframe pass): the object moves stride
    frames' worth between rendered frames, and a centred start is where a stride-1 clip starts, so
    the keyframes agree with the chunks later rendered between them.
    """
    size = math.sqrt(rng.uniform(AREA_MIN, AREA_MAX) * WIDTH * HEIGHT)
    speed = 0.0 if a.motion == "still" else rng.uniform(*speed_range)
    vx, vy = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1), "still": (0, 0)}[a.motion]
    vx, vy = vx * speed, vy * speed
    hw, hh = shape_extent(a.shape, size)
    native_travel_x, native_travel_y = vx * (frames - 1), vy * (frames - 1)
    vx, vy = vx * stride, vy * stride
    travel_x, travel_y = vx * (frames - 1), vy * (frames - 1)
    if start == "free":
        x0 = rng.uniform(0, WIDTH)
        y0 = rng.uniform(0, HEIGHT)
    elif start == "centre":
        # Centred on the middle of the path, so a moving object stays inside the frame.
        x0 = WIDTH / 2 - native_travel_x / 2 + rng.uniform(-CENTRE_JITTER, CENTRE_JITTER)
        y0 = HEIGHT / 2 - native_travel_y / 2 + rng.uniform(-CENTRE_JITTER, CENTRE_JITTER)
    else:
        m = 3  # margin in px, so the decoded object never touches the border
        lo_x, hi_x = hw + m - min(0, travel_x), WIDTH - hw - m - max(0, travel_x)
        lo_y, hi_y = hh + m - min(0, travel_y), HEIGHT - hh - m - max(0, travel_y)
        x0 = rng.uniform(lo_x, hi_x) if hi_x > lo_x else WIDTH / 2
        y0 = rng.uniform(lo_y, hi_y) if hi_y > lo_y else HEIGHT / 2
    bg = background(a, rng)
    obj = _rgb01(a.obj)
    video = np.empty((frames, HEIGHT, WIDTH, 3), np.float32)
    cover = np.empty((frames, HEIGHT, WIDTH), np.float32)
    for f in range(frames):
        al = _shape_alpha(a.shape, x0 + vx * f, y0 + vy * f, size, _XS, _YS)
        cover[f] = al
        video[f] = bg + (obj - bg) * al[..., None]
    return video, cover, {"size": size, "x0": x0, "y0": y0, "vx": vx, "vy": vy}


# ----------------------------------------------------------------------------------------------
# Captions

# The words a caption draws from: the plain name first (picked for about a third of captions, see
# _pick_word), then shades and everyday names, as people type them. The lexicon probe's fresh words
# (tools/lexicon_probe.py) stay out, so that probe keeps measuring words the model never saw.
COLOUR_WORDS = {
    "red": ["red", "crimson", "scarlet", "bright red", "cherry red", "cherry", "strawberry red",
            "fire engine red", "maroon", "burgundy", "wine red", "poppy red", "raspberry", "garnet",
            "candy apple red", "dark red", "deep red", "ruby", "ruby red", "vermilion", "blood red",
            "tomato red", "tomato", "brick red", "rose red", "cranberry", "cranberry red", "lipstick red",
            "ketchup red", "fire red", "lava red", "chili red", "berry red", "signal red", "racing red"],
    "orange": ["orange", "tangerine", "bright orange", "pumpkin orange", "pumpkin", "burnt orange",
               "mandarin", "clementine", "papaya", "persimmon", "neon orange", "dark orange",
               "light orange", "peach orange", "traffic cone orange", "amber", "amber orange", "apricot",
               "carrot orange", "carrot", "rust orange", "rust", "ember orange", "ember", "mango",
               "mango orange", "sunset orange", "tiger orange", "fox orange", "ginger", "terracotta",
               "safety orange", "orange peel", "goldfish orange"],
    "yellow": ["yellow", "golden", "lemon yellow", "bright yellow", "sunny yellow", "gold", "banana yellow",
               "sunshine yellow", "daffodil", "daffodil yellow", "buttercup", "honey yellow",
               "school bus yellow", "corn yellow", "dandelion yellow", "light yellow", "lemon", "canary",
               "canary yellow", "mustard", "mustard yellow", "butter yellow", "butter", "sunflower yellow",
               "sunflower", "banana", "straw yellow", "egg yolk yellow", "chick yellow", "goldenrod",
               "sun yellow", "taxi yellow", "pineapple yellow"],
    "green": ["green", "emerald", "grass green", "bright green", "leaf green", "kelly green", "pine green",
              "shamrock", "fern green", "bottle green", "spring green", "neon green", "moss green",
              "dark green", "light green", "grass-green", "jade", "jade green", "lime", "lime green", "mint",
              "mint green", "olive", "olive green", "forest green", "apple green", "pea green",
              "basil green", "clover green", "jungle green", "hunter green", "lettuce green", "frog green",
              "cucumber green", "evergreen"],
    "blue": ["blue", "cobalt", "royal blue", "deep blue", "bright blue", "ocean blue", "cerulean",
             "ultramarine", "denim blue", "cornflower blue", "electric blue", "baby blue", "steel blue",
             "powder blue", "marine blue", "dark blue", "light blue", "navy", "navy blue", "sapphire",
             "sapphire blue", "azure", "azure blue", "sky blue", "sky-blue", "midnight blue", "sea blue",
             "lake blue", "admiral blue", "indigo", "indigo blue", "denim", "ocean", "arctic blue",
             "glacier blue"],
    "purple": ["purple", "violet", "lilac purple", "deep purple", "plum", "grape", "grape purple", "orchid",
               "eggplant", "aubergine", "lilac", "royal purple", "wisteria", "iris purple", "magenta purple",
               "dark purple", "light purple", "mauve", "amethyst", "amethyst purple", "lavender",
               "lavender purple", "violet purple", "magenta", "plum purple", "damson", "thistle purple",
               "berry purple", "purple-violet", "ube purple", "royal violet", "pansy purple", "byzantium"],
    "white": ["white", "snow white", "pure white", "bright white", "milky white", "snow", "paper white",
              "cotton white", "alabaster", "bone white", "porcelain", "frost white", "linen white",
              "off-white", "cloud white", "ivory", "ivory white", "pearl", "pearl white", "cream",
              "creamy white", "cream white", "chalk", "chalk white", "milk", "milk white", "snowy",
              "snowy white", "sugar white", "lily white", "swan white", "marshmallow white", "whitewashed",
              "salt white"],
    "black": ["black", "jet black", "pitch black", "dark black", "coal black", "coal", "soot black",
              "obsidian", "tar black", "licorice black", "shadow black", "sable", "carbon black",
              "pitch-dark", "deep black", "ebony", "ebony black", "onyx", "onyx black", "charcoal",
              "charcoal black", "midnight black", "midnight", "inky black", "inky", "raven black", "raven",
              "jet", "night black", "tuxedo black", "panther black", "void black", "asphalt black",
              "oil black"],
}
SHAPE_WORDS = {
    "circle": ["circle", "ball", "disc", "dot", "round shape", "round blob", "sphere", "globe", "bead",
               "button", "puck", "circular shape", "round thing", "balloon", "round", "polka dot", "orb",
               "bubble", "marble", "coin", "disk", "round disk", "pebble", "round pebble", "medallion",
               "token", "blob", "round token", "circular disk", "spot", "round plate", "lens"],
    "square": ["square", "box", "block", "cube", "square tile", "rectangle", "square block", "square piece",
               "square plate", "dice", "cubic shape", "boxy shape", "quadrate", "square shape",
               "checker square", "box shape", "crate", "slab", "brick", "tile", "square slab", "carton",
               "chunk", "square card", "plaque", "cushion", "square brick", "cube shape", "four-sided shape",
               "four-cornered shape", "quad"],
    "triangle": ["triangle", "triangular shape", "pyramid", "wedge", "cone shape", "spike", "tent shape",
                 "fin", "shark fin", "peak", "tooth", "wedge shape", "prism", "yield sign shape",
                 "triangle shape", "arrowhead", "delta", "three-sided shape", "three-cornered shape",
                 "pennant", "pennant shape", "spearhead", "triangular piece", "slice", "pizza slice",
                 "chevron", "tip", "trigon", "triangular tile", "warning sign shape", "cone"],
}
# (phrase after the noun, gerund for "-ing" templates)
_LEFTWARD = ["moving left", "moving to the left", "going left", "sliding left", "drifting to the left",
             "heading left", "travelling leftward", "gliding to the left", "moving leftwards",
             "moving westward", "floating left", "travelling left", "running left", "speeding left",
             "zooming left", "passing to the left", "flying left", "heading westward", "gliding leftward",
             "scooting left", "sailing left", "cruising left", "shifting left", "crossing to the left",
             "moving from right to left", "travelling from right to left", "rolling left", "sweeping left",
             "creeping left", "drifting leftward", "edging left", "going towards the left"]


def _mirrored(phrases):
    """Rightward phrases from leftward ones: left/right, westward/eastward and their forms swapped."""
    swap = {"left": "right", "right": "left", "leftward": "rightward", "leftwards": "rightwards",
            "westward": "eastward"}
    return [re.sub(r"\b(" + "|".join(swap) + r")\b", lambda m: swap[m.group(1)], p) for p in phrases]


MOTION_WORDS = {
    "left": _LEFTWARD,
    "right": _mirrored(_LEFTWARD),
    "up": ["moving up", "moving upward", "going up", "rising", "floating up", "drifting upward",
           "climbing", "heading up", "sliding upwards", "soaring", "flying up", "rising up",
           "zooming up", "travelling upward", "heading upward", "going upwards", "climbing up",
           "moving higher", "ascending", "lifting", "lifting up", "climbing to the top", "rising slowly",
           "moving toward the top", "going skyward", "heading for the top", "shooting up",
           "climbing higher", "levitating upward", "creeping up", "sailing up"],
    "down": ["moving down", "moving downward", "going down", "falling", "sinking", "dropping",
             "drifting downward", "heading down", "sliding downwards", "falling down", "dropping down",
             "sliding down", "coming down", "travelling downward", "heading downward", "zooming down",
             "going downwards", "moving lower", "descending", "plummeting", "plunging", "tumbling",
             "dropping to the bottom", "moving toward the bottom", "heading for the bottom",
             "falling slowly", "creeping down", "diving down", "sinking down", "drifting down",
             "gliding downward"],
    "still": ["staying still", "not moving", "standing still", "motionless", "sitting still",
              "resting in place", "stationary", "holding still", "staying in place", "fixed in place",
              "not going anywhere", "unmoving", "staying put", "sitting there", "waiting in place",
              "stopped", "immobile", "keeping still", "frozen", "at rest", "parked", "perfectly still",
              "completely static", "static", "hovering in place", "not moving at all", "staying in one spot",
              "resting", "standing in place", "holding its position", "at a standstill", "idle"],
}
BG_NOUNS = ["background", "backdrop", "screen", "wall", "canvas", "scene", "backing", "floor", "ground",
            "sheet", "space", "board", "page", "scenery", "surroundings", "backcloth", "field", "surface",
            "setting", "panel", "stage", "area", "plane", "expanse", "backplate"]
# How a caption puts the object on its background: "on" three times as often as each other
# spatial word people write. The templates used to know five ("on", "against", "over", "in front
# of", "across"). A probe of the committed model then drew "an azure brick falling down a chalk
# white panel" with the two colours swapped in 8 of 8 seeds, and "... plummeting on a chalk white
# panel" in 2 of 8: after an unknown preposition, "a chalk white panel" read as the object.
BG_PREPOSITIONS = ["on", "on", "on", "against", "over", "in front of", "across", "through", "in",
                   "inside", "within", "upon", "atop", "on top of", "in the middle of", "before",
                   "set against", "set on", "along", "past", "in the centre of", "above"]
# Prepositions that also say the direction, used only with that motion ("falling down a wall").
MOTION_PREPOSITIONS = {"left": ["along", "leftward across"], "right": ["along", "rightward across"],
                       "up": ["up", "up along", "toward the top of"],
                       "down": ["down", "down along", "toward the bottom of"], "still": ["in one spot on"]}
# The background's article: "a" mostly, then "the", or none ("on white").
BG_ARTICLES = ["a", "a", "a", "a", "the", "the", ""]
GRADIENT_WORDS = ["gradient", "fading", "shaded", "graduated", "ombre", "blended"]
SOLID_WORDS = ["plain", "solid", "flat", "uniform", "even", "single-colour"]
FILLERS_PRE = ["", "", "", "a video of ", "an animation of ", "show me ", "a clip of ", "render ",
               "a simple video: ", "please draw ", "i want ", "a short clip with ", "make a video of ",
               "generate ", "animate ", "a scene with ", "footage of "]
ARTICLES = ["a", "a", "one", "a single", "a big", "a little"]


def _pick(rng, xs):
    return xs[int(rng.integers(len(xs)))]


# Share of captions that use an attribute's plain name (the first word of its list); the 48 eval
# prompts use plain names, and with 30+ synonyms a uniform pick would rarely show it.
PLAIN_NAME_SHARE = 0.3
# Share of captions that leave out the motion, and (independently) the background; train.py draws a
# random motion or background for them. 0.15 was tried (ft5656, models/README.md §3) and not kept.
PARTIAL_CAPTION_SHARE = 0.04
# Share of single-word shades written as "<shade>-coloured", "<shade> coloured" or "<shade>-colored".
COLOURED_FORM_SHARE = 0.1


def _pick_word(rng, words, plain_share=PLAIN_NAME_SHARE):
    """The plain name for ``plain_share`` of picks, otherwise any of the words."""
    return words[0] if rng.random() < plain_share else _pick(rng, words)


def _pick_colour(rng, colour, plain_share=PLAIN_NAME_SHARE):
    word = _pick_word(rng, COLOUR_WORDS[colour], plain_share)
    if word != colour and " " not in word and rng.random() < COLOURED_FORM_SHARE:
        return word + _pick(rng, ["-coloured", " coloured", "-colored"])
    return word


def _bg_phrase(a: Attrs, rng, plain_share=PLAIN_NAME_SHARE) -> str:
    col = _pick_colour(rng, a.bg, plain_share)
    noun = _pick_word(rng, BG_NOUNS, plain_share)
    if a.bg_kind == "gradient" and rng.random() < 0.7:
        return f"{col} {_pick(rng, GRADIENT_WORDS)} {noun}"
    if a.bg_kind == "solid" and rng.random() < 0.25:
        return f"{_pick(rng, SOLID_WORDS)} {col} {noun}"
    return f"{col} {noun}"


def caption(a: Attrs, rng: np.random.Generator, drop_motion=False, drop_bg=False,
            plain_share=PLAIN_NAME_SHARE) -> str:
    """One everyday caption for the attributes, from several templates and synonyms."""
    obj = f"{_pick_colour(rng, a.obj, plain_share)} {_pick_word(rng, SHAPE_WORDS[a.shape], plain_share)}"
    art = _pick(rng, ARTICLES)
    mot = _pick_word(rng, MOTION_WORDS[a.motion], plain_share)
    bgp = _bg_phrase(a, rng, plain_share)
    prep = _bg_preposition(a, rng)
    t = int(rng.integers(8))
    if drop_motion and drop_bg:
        s = f"{art} {obj}"
    elif drop_motion:
        s = _pick(rng, [f"{art} {obj} {prep} {bgp}", f"{bgp}, {art} {obj}"])
    elif drop_bg:
        s = _pick(rng, [f"{art} {obj} {mot}", f"{art} {obj} that is {mot}"])
    elif t == 0:
        s = f"{art} {obj} {mot} {prep} {bgp}"
    elif t == 1:
        s = f"{art} {obj} {prep} {bgp}, {mot}"
    elif t == 2:
        s = f"{bgp} with {art} {obj} {mot}"
    elif t == 3:
        s = f"{bgp}, {art} {obj} {mot}"
    elif t == 4:
        s = f"{art} {obj} is {mot} {prep} {bgp}"
    elif t == 5:
        s = f"{prep} {bgp} {art} {obj} is {mot}"
    elif t == 6:
        s = f"the background is {_pick_colour(rng, a.bg, plain_share)} and {art} {obj} is {mot}"
    else:
        s = f"{art} {obj}, {mot}, {prep} {bgp}"
    if drop_motion or drop_bg or t in (0, 1, 2, 3, 7):
        s = _pick(rng, FILLERS_PRE) + s
    return _an_before_vowels(s)


def _an_before_vowels(text: str) -> str:
    """ "a" before a word that starts with a vowel becomes "an", as people write it.

    >>> _an_before_vowels("a ivory cube on a amber field, a unmoving one")
    'an ivory cube on an amber field, an unmoving one'
    """
    return re.sub(r"\ba ([aeiou])", r"an \1", text)


def _bg_preposition(a: Attrs, rng) -> str:
    """A preposition and the background's article ("on a", "down the", "against")."""
    words = BG_PREPOSITIONS + MOTION_PREPOSITIONS[a.motion]
    return f"{_pick(rng, words)} {_pick(rng, BG_ARTICLES)}".rstrip()


HELDOUT_PROMPTS = Path(__file__).with_name("prompts_heldout.txt")
# Written blind: by someone who saw the palette, shapes and motions but not the captions.
BLIND_PROMPTS = Path(__file__).with_name("prompts_blind.txt")
# Where choices between models and sampling settings are made, so the two sets above stay untuned.
DEV_PROMPTS = Path(__file__).with_name("prompts_dev.txt")
HELDOUT_SETS = (HELDOUT_PROMPTS, BLIND_PROMPTS, DEV_PROMPTS)
# Longest run of words a held-out prompt may share with a training caption. The held-out sets keep
# their wordings and word orders out of training, not their words: a shade name people type belongs
# in the vocabulary (docs/decisions.md, "What the held-out prompts hold out"). The longest runs in
# the committed model's last captions are 7 words of motion phrase and template glue: "from left to
# right in front of", "block creeping right in front of a".
MAX_SHARED_WORDS = 8
# The captions of the committed model's last fine-tune, as (captions per combination, seed)
# (models/README.md §3). Its earlier fine-tunes drew theirs, (12, 0) and (24, 1), with the
# templates before BG_PREPOSITIONS, and passed this check then.
COMMITTED_CAPTION_SETS = ((24, 5),)


def vocabulary() -> set[str]:
    """Every word a training caption can contain (lower case, split as _words splits)."""
    phrases = [w for d in (COLOUR_WORDS, SHAPE_WORDS, MOTION_WORDS) for ws in d.values() for w in ws]
    phrases += BG_NOUNS + GRADIENT_WORDS + SOLID_WORDS + FILLERS_PRE + ARTICLES
    phrases += BG_PREPOSITIONS + BG_ARTICLES + [w for ws in MOTION_PREPOSITIONS.values() for w in ws]
    phrases += ["with", "is", "that", "the background is", "and", "an", "coloured", "colored"]
    return {w for p in phrases for w in _words(p)}


def _words(text: str) -> list[str]:
    return re.sub(r"[,:;?.!]", " ", text.lower()).split()


def heldout_prompts(path: Path = HELDOUT_PROMPTS) -> list[str]:
    lines = path.read_text().splitlines()
    return [l.split("\t")[0] for l in lines if l.strip() and not l.startswith(("#", "prompt\t"))]


def heldout_words(path: Path = HELDOUT_PROMPTS) -> set[str]:
    """Every word of the held-out prompts (lower case, split on spaces and punctuation)."""
    return {w for prompt in heldout_prompts(path) for w in _words(prompt)}


def shared_wordings(prompts: list[str], captions: list[str], n: int) -> dict[str, list[str]]:
    """For each prompt that shares a run of n words with a caption: those runs."""
    def runs(words):
        return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}
    caption_runs = set().union(*(runs(_words(c)) for c in captions))
    shared = {p: sorted(runs(_words(p)) & caption_runs) for p in prompts}
    return {p: r for p, r in shared.items() if r}


def heldout_wordings_in_training(paths=HELDOUT_SETS, caption_sets=COMMITTED_CAPTION_SETS):
    """Held-out prompts whose wording training captions reach: a shared run over MAX_SHARED_WORDS.

    >>> heldout_wordings_in_training()
    {}
    """
    captions = [row.text for per_combo, seed in caption_sets
                for row in training_captions(per_combo, seed=seed)]
    prompts = [prompt for path in paths for prompt in heldout_prompts(path)]
    return shared_wordings(prompts, captions, MAX_SHARED_WORDS + 1)


@dataclass(frozen=True)
class CaptionRow:
    text: str
    attrs: Attrs
    has_motion: bool
    has_bg: bool

    def to_json(self):
        d = asdict(self)
        return d


def training_captions(per_combo: int, seed: int, plain_share=PLAIN_NAME_SHARE,
                      partial_share=PARTIAL_CAPTION_SHARE) -> list[CaptionRow]:
    """Captions of every non-held-out combination, ``per_combo`` each, plus a few partial ones."""
    rng = np.random.default_rng(seed)
    rows: list[CaptionRow] = []
    seen = set()
    for a in all_attrs(held_out=False):
        made = 0
        tries = 0
        while made < per_combo and tries < per_combo * 20:
            tries += 1
            dm = rng.random() < partial_share
            db = rng.random() < partial_share
            text = caption(a, rng, drop_motion=dm, drop_bg=db, plain_share=plain_share)
            if text in seen:
                continue
            seen.add(text)
            rows.append(CaptionRow(text, a, not dm, not db))
            made += 1
    return rows


def write_palette(path: Path):
    path.write_text(json.dumps(palette_json(), indent=2) + "\n")


if __name__ == "__main__":
    r = np.random.default_rng(0)
    for a in all_attrs()[:: 97]:
        print(a, "|", caption(a, r))
    print(GRADIENT_TARGET)
