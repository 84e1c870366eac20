"""The `faces` evaluation set: real photos with hand-labelled face boxes and real photos without faces.

Everything comes from photos shipped in installed wheels (face_labels.json lists them and the boxes
labelled by hand): scikit-image's astronaut, camera (a three-quarter profile) and its LFW sample of
100 real face crops, matplotlib's Grace Hopper, and 24 face-free photos. Harder cases are BUILT from
those real pixels, and the report says so: faces shrunk to 22-40 px (`small`), 6-9 LFW faces on one
real background (`crowds`), the profile photo mirrored and rescaled and LFW faces turned 25-40
degrees in plane (`profile`: a real three-quarter profile and tilted heads, no true side views),
single faces on backgrounds (`frontal`); face-free photos are used whole and as FREE_CROPS
rescaled crops each (crops of one photo are not independent: say so when quoting rates).

Three slices. `tuning` and `tuning_2` are split by SOURCE (`slice_of`): a face source (a photo, or
one LFW face) and a background photo belong to one slice, whatever items they appear in; the split
is a hash of the source name, fixed in code. `tuning_2` was the held-back slice until its misses
(tilted heads) were read on 2026-12-02; from then on it is tuned on like `tuning`.

`held_back_2` (`build_held_back_2`) was written on 2026-12-02 BEFORE the tilted-head work was tuned,
and is only run to report, apart. No real photo with a face that the set had not used is installed
(site-packages and /usr/share were searched), so its FACES are the same people as the tuning slices'
(the three photos and the LFW faces); what is new is everything around them: its own seed, whole
photos turned by angles fixed here (TILT_ANGLES) rather than face crops pasted turned, LFW faces at
new sizes, angles and places, backgrounds built from real photo crops no slice had used (LFW's
non-face crops), and face-free items from those crops and from photos no slice had used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

LABELS = Path(__file__).with_name("face_labels.json")
SEGMENTS = ("frontal", "profile", "tilted", "small", "crowds", "face_free")
TUNING, TUNING_2, HELD_BACK_2 = "tuning", "tuning_2", "held_back_2"
SLICES = (TUNING, TUNING_2, HELD_BACK_2)  # in the order they are reported
TUNING_SLICES = (TUNING, TUNING_2)
TUNING_2_SHARE = 0.4  # of the sources, by hash (this slice was "held_back" until 2026-12-02)
HELD_BACK_2_SEED = 2512
# In-plane tilts of held_back_2's faces, fixed before any tilt handling was tuned.
TILT_ANGLES = (-40.0, -25.0, -15.0, 15.0, 25.0, 40.0)
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
    return TUNING_2 if digest / 0xFFFFFFFF < TUNING_2_SHARE else TUNING


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


def _paste_crowd(rng: random.Random, background: Image.Image, faces: list[Image.Image]) -> list[tuple[float, ...]]:
    """Each face pasted at 36-69 px where it overlaps no other; the boxes of those that found a spot."""
    taken: list[tuple[float, ...]] = []
    for face in faces:
        size = rng.randrange(36, 70)
        spot = _free_spot(rng, size, background.size, taken)
        if spot is not None:
            taken.append(_paste(background, face, size, spot))
    return taken


def build_face_set(seed: int = 25) -> list[FaceItem]:
    """Every item of the set: the two tuning slices, then held_back_2."""
    return build_tuning_slices(seed) + build_held_back_2()


def build_tuning_slices(seed: int = 25) -> list[FaceItem]:
    """The items of `tuning` and `tuning_2` (the split is by source: `slice_of`)."""
    labels = json.loads(LABELS.read_text())
    rng = random.Random(seed)
    backgrounds = {source: load_rgb(source) for source in labels["face_free"]}
    by_slice = {s: [b for b in backgrounds if slice_of(b) == s] for s in TUNING_SLICES}
    lfw = lfw_faces(labels)
    lfw_by_slice = {s: [i for i in range(len(lfw)) if slice_of(f"lfw:{i}") == s] for s in TUNING_SLICES}
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
    for part in (TUNING_2, TUNING):  # this order keeps the seeded draws as they were
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
            taken = _paste_crowd(rng, background, [lfw[index] for index in members])
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


def turned_face_box(box: list[float], size: tuple[int, int], turned_size: tuple[int, int], angle: float):
    """Where a labelled face lands when the photo is turned `angle` degrees (PIL: counter-clockwise,
    expanded): the upright box around the face's ellipse turned with it (a face is round, so the box
    around its turned corners would be too big)."""
    x0, y0, x1, y1 = box
    dx, dy = (x0 + x1) / 2 - size[0] / 2, (y0 + y1) / 2 - size[1] / 2
    theta = math.radians(angle)
    cx = turned_size[0] / 2 + dx * math.cos(theta) + dy * math.sin(theta)
    cy = turned_size[1] / 2 - dx * math.sin(theta) + dy * math.cos(theta)
    a, b = (x1 - x0) / 2, (y1 - y0) / 2
    half_w = math.hypot(a * math.cos(theta), b * math.sin(theta))
    half_h = math.hypot(a * math.sin(theta), b * math.cos(theta))
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def non_face_crops(labels: dict) -> dict[int, Image.Image]:
    """LFW's non-face crops (real photo patches) that show no part of a face, by index."""
    spec = labels["held_back_2"]["lfw_non_faces"]
    crops = np.load(package_file(labels["lfw_faces"]["file"]))
    return {
        index: Image.fromarray((crops[index] * 255).astype(np.uint8)).convert("RGB")
        for index in range(spec["from"], spec["to"])
        if index not in spec["show_part_of_a_face"]
    }


def _mosaic(rng: random.Random, crops: dict[int, Image.Image], columns: int, rows: int, tile: int) -> Image.Image:
    """A background of real photo patches, `columns` x `rows` tiles of `tile` px."""
    canvas = Image.new("RGB", (columns * tile, rows * tile))
    for n in range(columns * rows):
        patch = crops[rng.choice(sorted(crops))].resize((tile, tile), Image.BICUBIC)
        canvas.paste(patch, ((n % columns) * tile, (n // columns) * tile))
    return canvas


def build_held_back_2(seed: int = HELD_BACK_2_SEED) -> list[FaceItem]:
    """The second held-back slice (see the module's doc): never tuned on, run only to report."""
    labels = json.loads(LABELS.read_text())
    rng = random.Random(seed)
    crops = non_face_crops(labels)
    items: list[FaceItem] = []

    # the three real photos turned whole, by every fixed tilt, and upright at a size not used before
    for source, entry in labels["faces"].items():
        photo = load_rgb(source)
        for angle in TILT_ANGLES:
            turned = photo.rotate(angle, resample=Image.BICUBIC, expand=True)
            boxes = [turned_face_box(b, photo.size, turned.size, angle) for b in entry["boxes"]]
            items.append(FaceItem(f"{source}@turn{angle:+g}", "tilted", HELD_BACK_2, turned, boxes, True))
        smaller = photo.resize((round(photo.width * 0.6), round(photo.height * 0.6)), Image.BICUBIC)
        boxes = [_scaled(b, 0.6) for b in entry["boxes"]]
        items.append(FaceItem(f"{source}@0.6", entry["segment"], HELD_BACK_2, smaller, boxes, True))

    # LFW faces on backgrounds of real patches: turned by a fixed tilt, upright, small, in crowds
    lfw = lfw_faces(labels)
    order = list(range(len(lfw)))
    rng.shuffle(order)
    groups = {"tilted": order[:40], "frontal": order[40:70], "small": order[70:85]}
    for segment, chosen in groups.items():
        for index in chosen:
            background = _mosaic(rng, crops, 4, 3, 100)
            size = {"tilted": rng.randrange(60, 110), "frontal": rng.randrange(50, 110), "small": rng.randrange(22, 40)}
            angle = rng.choice(TILT_ANGLES) if segment == "tilted" else 0.0
            at = _free_spot(rng, size[segment] * 3 // 2, background.size, [])
            pasted = _paste(background, lfw[index], size[segment], at, angle)
            items.append(FaceItem(f"lfw:{index}-{segment}-hb2", segment, HELD_BACK_2, background, [pasted], True))
    crowd = order[85:]
    for n, members in enumerate((crowd[:7], crowd[7:])):
        background = _mosaic(rng, crops, 8, 6, 80)
        taken = _paste_crowd(rng, background, [lfw[index] for index in members])
        items.append(FaceItem(f"crowd:{HELD_BACK_2}:{n}", "crowds", HELD_BACK_2, background, taken, True))

    # face-free: every non-face patch enlarged; the unused face-free photos whole and turned
    for index, patch in crops.items():
        side = 25 * rng.randrange(4, 9)
        items.append(FaceItem(f"lfw-non-face:{index}", "face_free", HELD_BACK_2, patch.resize((side, side)), [], True))
    for source in labels["held_back_2"]["face_free"]:
        photo = load_rgb(source)
        items.append(FaceItem(source, "face_free", HELD_BACK_2, photo))
        for angle in (-25.0, 25.0):
            turned = photo.rotate(angle, resample=Image.BICUBIC, expand=True)
            items.append(FaceItem(f"{source}@turn{angle:+g}", "face_free", HELD_BACK_2, turned, [], True))
    return items
