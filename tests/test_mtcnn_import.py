"""MTCNN without torchvision (the deploy image leaves it out): the stand-in's non-maximum suppression
is torchvision's, and the faces found on a real photo are the same with and without torchvision."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torchvision.ops.boxes import batched_nms as torchvision_batched_nms

from resources.mtcnn_import import batched_nms

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_stand_in_keeps_the_boxes_torchvision_keeps_in_the_same_order(seed):
    generator = torch.Generator().manual_seed(seed)
    corners = torch.rand((300, 2), generator=generator) * 200
    sizes = torch.rand((300, 2), generator=generator) * 40 + 1
    boxes = torch.cat([corners, corners + sizes], dim=1)
    scores = torch.rand(300, generator=generator)
    categories = torch.randint(0, 3, (300,), generator=generator)
    for threshold in (0.3, 0.5, 0.7):
        expected = torchvision_batched_nms(boxes, scores, categories, threshold)
        assert torch.equal(batched_nms(boxes, scores, categories, threshold), expected)
    assert batched_nms(boxes[:0], scores[:0], categories[:0], 0.5).numel() == 0


FACES_WITHOUT_TORCHVISION = """
import importlib.abc, json, sys

class NoTorchvision(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "torchvision" or name.startswith("torchvision."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoTorchvision())
from PIL import Image
from mm_assets.operations.face_set import package_file
from resources.faces import mtcnn_faces

photo = Image.open(package_file("skimage:astronaut.png")).convert("RGB")
faces = [[round(v, 1) for v in face.bbox] + [round(face.confidence, 4)] for face in mtcnn_faces(photo, 0.8)]
print(json.dumps({"faces": faces, "stand_in_left": [m for m in sys.modules if m.startswith("torchvision")]}))
"""


def test_mtcnn_finds_the_same_faces_without_torchvision_and_leaves_no_stand_in_behind():
    from PIL import Image

    from mm_assets.operations.face_set import package_file
    from resources.faces import mtcnn_faces

    photo = Image.open(package_file("skimage:astronaut.png")).convert("RGB")
    expected = [[round(v, 1) for v in face.bbox] + [round(face.confidence, 4)] for face in mtcnn_faces(photo, 0.8)]
    result = subprocess.run(
        [sys.executable, "-c", FACES_WITHOUT_TORCHVISION], cwd=REPO, capture_output=True, text=True, check=True
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert expected and answer["faces"] == expected
    assert answer["stand_in_left"] == []  # transformers and the rest never see a torchvision
