"""MTCNN from the facenet-pytorch wheel, with or without torchvision.

facenet-pytorch's detection module imports torchvision for one function, `batched_nms` (and
`to_tensor`, which only its face-cropping helper uses). The deploy image leaves torchvision out: its
PyPI wheels are built against a CUDA torch and do not load beside the image's CPU torch. There the
import runs with a stand-in `torchvision` that provides `batched_nms` in plain torch; the stand-in
is in `sys.modules` only while facenet-pytorch imports, so nothing else in the process (transformers
asks whether torchvision is installed) ever sees it. Where torchvision is installed it is used as is.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from typing import Any

import torch

_STAND_IN = ("torchvision", "torchvision.ops", "torchvision.ops.boxes", "torchvision.transforms",
             "torchvision.transforms.functional")  # fmt: skip


def batched_nms(boxes: torch.Tensor, scores: torch.Tensor, idxs: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """torchvision's `batched_nms`: greedy non-maximum suppression within each category of `idxs`;
    the kept indices, highest score first. Boxes of different categories are moved apart so they
    never overlap, then one suppression runs over all of them."""
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64)
    offsets = idxs.to(boxes) * (boxes.max() + 1)
    return nms(boxes + offsets[:, None], scores, iou_threshold)


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Keep the best box, drop every box overlapping it by more than `iou_threshold` (IoU), repeat."""
    x1, y1, x2, y2 = boxes.unbind(1)
    areas = (x2 - x1) * (y2 - y1)
    order = torch.argsort(scores, descending=True, stable=True)
    keep = []
    while order.numel():
        best, rest = order[0], order[1:]
        keep.append(int(best))
        width = (torch.minimum(x2[best], x2[rest]) - torch.maximum(x1[best], x1[rest])).clamp(min=0)
        height = (torch.minimum(y2[best], y2[rest]) - torch.maximum(y1[best], y1[rest])).clamp(min=0)
        overlap = width * height
        iou = overlap / (areas[best] + areas[rest] - overlap)
        order = rest[iou <= iou_threshold]
    return torch.tensor(keep, dtype=torch.int64)


def _to_tensor(_picture: Any) -> torch.Tensor:
    raise NotImplementedError("torchvision is not installed: facenet-pytorch's face cropping is not available")


def _stand_in_modules() -> dict[str, types.ModuleType]:
    modules = {name: types.ModuleType(name) for name in _STAND_IN}
    modules["torchvision.ops.boxes"].batched_nms = batched_nms  # type: ignore[attr-defined]
    modules["torchvision.transforms.functional"].to_tensor = _to_tensor  # type: ignore[attr-defined]
    modules["torchvision"].ops, modules["torchvision"].transforms = (  # type: ignore[attr-defined]
        modules["torchvision.ops"],
        modules["torchvision.transforms"],
    )
    modules["torchvision.ops"].boxes = modules["torchvision.ops.boxes"]  # type: ignore[attr-defined]
    modules["torchvision.transforms"].functional = modules["torchvision.transforms.functional"]  # type: ignore[attr-defined]
    return modules


def torchvision_installed() -> bool:
    try:
        return importlib.util.find_spec("torchvision") is not None
    except (ImportError, ValueError):  # a finder that refuses it, or a module without a spec
        return False


def import_mtcnn() -> type:
    """facenet-pytorch's MTCNN class (with the stand-in when torchvision is not installed)."""
    if "facenet_pytorch" in sys.modules or torchvision_installed():
        from facenet_pytorch import MTCNN

        return MTCNN
    stand_in = _stand_in_modules()
    sys.modules.update(stand_in)
    try:
        from facenet_pytorch import MTCNN
    finally:
        for name, module in stand_in.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return MTCNN
