"""The `faces` evaluation set: real photos with hand-labelled face boxes and real photos without faces.

Everything comes from photos shipped in installed wheels (face_labels.json lists them and the boxes
labelled by hand): scikit-image's astronaut, camera (a three-quarter profile) and its LFW sample of
100 real face crops, matplotlib's Grace Hopper, and 24 face-free photos. Harder cases are BUILT from
those real pixels, and the report says so: faces shrunk to 22-40 px (`small`), 6-9 LFW faces on one
real background (`crowds`), the profile photo mirrored and rescaled and LFW faces turned 25-40
degrees in plane (`profile`: a real three-quarter profile and tilted heads, no true side views),
single faces on backgrounds (`frontal`); face-free photos are used whole and as FREE_CROPS
rescaled crops each (crops of one photo are not independent: say so when quoting rates).

The held-back slice is split off by SOURCE before anything is tuned (`slice_of`): a face source
(a photo, or one LFW face) and a background photo belong to one slice, whatever items they appear
in, so a held-back item shares no face and no background with the tuning items. The split is a
hash of the source name, fixed in code; it is not chosen after looking at results.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

LABELS = Path(__file__).with_name("face_labels.json")
SEGMENTS = ("frontal", "profile", "small", "crowds", "face_free")
HELD_BACK, TUNING = "held_back", "tuning"
HELD_BACK_SHARE = 0.4  # of the sources, by hash
# Crops per face-free photo. Was 2; raised to 5 after the first held-back run showed only 12 held-back
# face-free items (4 photos), too few to measure "1 false face per 20"; the threshold was not retuned.
FREE_CROPS = 5
PACKAGE_DIRS = {
    "skimage": "skimage/data",
    "matplotlib": "matplotlib/mpl-data/sample_data",
    "sklearn": "sklearn/datasets/images",
}


@dataclass
class FaceItem:
    """One evaluation photo: its pixels, the labelled face boxes on it, and where it came from."""

    item_id: str
    segment: str
    slice: str
    image: Image.Image
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    built: bool = False  # composed from real photos (pasted, shrunk, turned), not a photo as shot


def slice_of(source: str) -> str:
    """The slice a face or background source belongs to: a fixed hash, decided before any tuning."""
    digest = int(hashlib.sha256(f"faces-split-v1|{source}".encode()).hexdigest()[:8], 16)
    return HELD_BACK if digest / 0xFFFFFFFF < HELD_BACK_SHARE else TUNING


def package_file(source: str) -> Path:
    """'skimage:astronaut.png' -> the file inside the installed wheel."""
    package, name = source.split(":", 1)
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"{package} is not installed (needed for {source})")
    return Path(spec.origin).parent.parent / PACKAGE_DIRS[package] / name


def load_rgb(source: str) -> Image.Image:
    return Image.open(package_file(source)).convert("RGB")


def lfw_faces(labels: dict) -> list[Image.Image]:
    crops = np.load(package_file(labels["lfw_faces"]["file"]))[: labels["lfw_faces"]["first"]]
    return [Image.fromarray((crop * 255).astype(np.uint8)).convert("RGB") for crop in crops]


def _scaled(box: list[float], factor: float, dx: float = 0.0, dy: float = 0.0) -> tuple[float, ...]:
    return tuple(v * factor + (dx if i % 2 == 0 else dy) for i, v in enumerate(box))


def _mirrored(box: tuple[float, ...], width: int) -> tuple[float, ...]:
    return (width - box[2], box[1], width - box[0], box[3])


def _paste(background: Image.Image, face: Image.Image, size: int, at: tuple[int, int], angle: float = 0.0):
    """Paste a square face crop at `at`, `size` px, turned `angle` degrees; its labelled box."""
    face = face.resize((size, size), Image.BICUBIC)
    if angle:
        rotated = face.convert("RGBA").rotate(angle, resample=Image.BICUBIC, expand=True)
        background.paste(rotated, at, rotated)
        w, h = rotated.size
        # the face's own box is the turned square's middle: its size is the crop's
        cx, cy = at[0] + w / 2, at[1] + h / 2
        return (cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2)
    background.paste(face, at)
    return (at[0], at[1], at[0] + size, at[1] + size)


def _free_spot(rng: random.Random, size: int, canvas: tuple[int, int], taken: list[tuple[float, ...]]):
    for _ in range(200):
        x, y = rng.randrange(0, canvas[0] - size), rng.randrange(0, canvas[1] - size)
        box = (x - 4, y - 4, x + size + 4, y + size + 4)
        if not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken):
            return x, y
    return None


def build_face_set(seed: int = 25) -> list[FaceItem]:
    """Every item of the set, both slices (the split is by source: `slice_of`)."""
    labels = json.loads(LABELS.read_text())
    rng = random.Random(seed)
    backgrounds = {source: load_rgb(source) for source in labels["face_free"]}
    by_slice = {s: [b for b in backgrounds if slice_of(b) == s] for s in (HELD_BACK, TUNING)}
    lfw = lfw_faces(labels)
    lfw_by_slice = {s: [i for i in range(len(lfw)) if slice_of(f"lfw:{i}") == s] for s in (HELD_BACK, TUNING)}
    items: list[FaceItem] = []

    # real photos as shot, rescaled and mirrored; and shrunk onto a background of the same slice (small)
    for source, entry in labels["faces"].items():
        photo, part = load_rgb(source), slice_of(source)
        for factor in (1.0, 0.75):
            scaled = photo.resize((round(photo.width * factor), round(photo.height * factor)), Image.BICUBIC)
            boxes = [_scaled(b, factor) for b in entry["boxes"]]
            items.append(FaceItem(f"{source}@{factor:g}", entry["segment"], part, scaled, boxes))
            mirror = scaled.transpose(Image.FLIP_LEFT_RIGHT)
            flipped = [_mirrored(b, scaled.width) for b in boxes]
            items.append(FaceItem(f"{source}@{factor:g}-mirror", entry["segment"], part, mirror, flipped, True))
        for target in (28, 36):  # face width in px
            factor = target / (entry["boxes"][0][2] - entry["boxes"][0][0])
            small = photo.resize((max(1, round(photo.width * factor)), max(1, round(photo.height * factor))))
            background = backgrounds[rng.choice(by_slice[part])].copy()
            at = (
                rng.randrange(0, max(1, background.width - small.width)),
                rng.randrange(0, max(1, background.height - small.height)),
            )
            background.paste(small, at)
            boxes = [_scaled(b, factor, *at) for b in entry["boxes"]]
            items.append(FaceItem(f"{source}-small{target}", "small", part, background, boxes, True))

    # LFW faces: single (frontal), turned (profile), shrunk (small), together (crowds); by the face's slice
    for part in (HELD_BACK, TUNING):
        faces = lfw_by_slice[part]
        rng.shuffle(faces)
        single, turned, small, crowd = faces[0::4], faces[1::4], faces[2::4], faces[3::4]
        for segment, chosen in (("frontal", single), ("profile", turned), ("small", small)):
            for index in chosen:
                background = backgrounds[rng.choice(by_slice[part])].copy()
                size = {
                    "frontal": rng.randrange(60, 120),
                    "profile": rng.randrange(60, 110),
                    "small": rng.randrange(22, 40),
                }[segment]
                if min(background.size) < size + 10:
                    background = background.resize((max(background.width, size * 3), max(background.height, size * 3)))
                at = _free_spot(rng, size + size // 2, background.size, [])
                angle = rng.choice((-1, 1)) * rng.uniform(25, 40) if segment == "profile" else 0.0
                box = _paste(background, lfw[index], size, at, angle)
                items.append(FaceItem(f"lfw:{index}-{segment}", segment, part, background, [box], True))
        for group in range(0, len(crowd) - 5, 6):  # crowds reuse the crowd faces in groups of 6-9
            members = crowd[group : group + rng.randrange(6, 10)]
            background = backgrounds[rng.choice(by_slice[part])].resize((640, 480))
            taken: list[tuple[float, ...]] = []
            for index in members:
                size = rng.randrange(36, 70)
                spot = _free_spot(rng, size, background.size, taken)
                if spot is not None:
                    taken.append(_paste(background, lfw[index], size, spot))
            items.append(FaceItem(f"crowd:{part}:{group}", "crowds", part, background, taken, True))

    # face-free photos whole and as FREE_CROPS rescaled crops each
    for source, photo in backgrounds.items():
        part = slice_of(source)
        items.append(FaceItem(source, "face_free", part, photo))
        for n in range(FREE_CROPS):
            w, h = photo.size
            cw, ch = max(64, int(w * rng.uniform(0.4, 0.7))), max(64, int(h * rng.uniform(0.4, 0.7)))
            x, y = rng.randrange(0, max(1, w - cw)), rng.randrange(0, max(1, h - ch))
            crop = photo.crop((x, y, x + cw, y + ch)).resize((round(cw * 1.5), round(ch * 1.5)), Image.BICUBIC)
            items.append(FaceItem(f"{source}#crop{n}", "face_free", part, crop, [], True))
    return items
