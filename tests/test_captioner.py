"""The captioner resource: label captions from the shipped classifier, and real transformers
loading on tiny captioning checkpoints that these tests build and save themselves."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from skimage import data

from resources.captioner import (
    LABEL_FLOOR,
    NO_CONFIDENT_LABEL,
    Caption,
    Captioner,
    CaptionerUnavailable,
    label_sentence,
)

PHOTOS = {
    "chelsea": data.chelsea,
    "coffee": data.coffee,
    "camera": data.camera,
    "rocket": data.rocket,
    "gravel": data.gravel,
}
# The tiny checkpoints' whole vocabulary after BERT's special tokens.
WORDS = ["a", "photo", "of", "cat", "dog", "on", "the", "table"]
STEERED_WORD = "cat"


@pytest.fixture(scope="module")
def photos() -> dict[str, Image.Image]:
    return {name: Image.fromarray(load()) for name, load in PHOTOS.items()}


@pytest.fixture(scope="module")
def label_captions(photos: dict[str, Image.Image]) -> dict[str, Caption]:
    captions = Captioner().caption(list(photos.values()))
    return dict(zip(photos, captions, strict=True))


# --- labels family -------------------------------------------------------------------------


def test_label_caption_of_the_cat_photo_mentions_a_cat(label_captions: dict[str, Caption]) -> None:
    caption = label_captions["chelsea"]
    assert caption.text.startswith("a photo of ")
    assert " cat" in caption.text
    assert {"tiger cat", "Egyptian cat", "tabby"} & {label for label, _ in caption.labels}


def test_label_caption_of_the_coffee_photo_mentions_espresso(
    label_captions: dict[str, Caption],
) -> None:
    assert label_captions["coffee"].text == "a photo of an espresso"
    assert label_captions["coffee"].labels[0][0] == "espresso"


def test_label_caption_of_the_cameraman_mentions_his_tripod(
    label_captions: dict[str, Caption],
) -> None:
    assert "tripod" in label_captions["camera"].text


def test_label_caption_of_the_rocket_mentions_a_missile_or_projectile(
    label_captions: dict[str, Caption],
) -> None:
    assert "missile" in label_captions["rocket"].text or "projectile" in label_captions["rocket"].text


def test_label_caption_keeps_exactly_the_labels_it_mentions(
    label_captions: dict[str, Caption],
) -> None:
    for caption in label_captions.values():
        probabilities = [probability for _, probability in caption.labels]
        assert len(caption.labels) <= Captioner().top_k
        assert probabilities == sorted(probabilities, reverse=True)
        assert all(probability >= LABEL_FLOOR for probability in probabilities)
        assert all(label in caption.text for label, _ in caption.labels)


def test_label_caption_says_so_when_nothing_is_confident(
    label_captions: dict[str, Caption],
) -> None:
    uniform_grey = Image.new("RGB", (96, 96), (128, 128, 128))
    [caption] = Captioner().caption([uniform_grey])
    assert caption == Caption(text=NO_CONFIDENT_LABEL, labels=[])
    # Gravel is no ImageNet class: at most a hedge, never a confident "a photo of".
    assert not label_captions["gravel"].text.startswith("a photo of")


def test_label_captions_are_deterministic(photos: dict[str, Image.Image], label_captions: dict[str, Caption]) -> None:
    again = Captioner().caption(list(photos.values()))
    assert again == list(label_captions.values())


def test_label_caption_mentions_at_most_top_k_labels(photos: dict[str, Image.Image]) -> None:
    [caption] = Captioner(top_k=1).caption([photos["chelsea"]])
    assert len(caption.labels) == 1
    assert ", possibly" not in caption.text


def test_label_caption_hedges_a_weak_leading_label() -> None:
    assert label_sentence([("football helmet", 0.16), ("bobsled", 0.11)]) == (
        "an image that may show a football helmet or a bobsled"
    )
    assert label_sentence([("tiger cat", 0.39), ("Egyptian cat", 0.37), ("tabby", 0.17)]) == (
        "a photo of a tiger cat, possibly an Egyptian cat or a tabby"
    )


def test_label_model_id_is_stable_and_says_it_is_a_label_caption() -> None:
    assert Captioner().model_id() == "label-caption-efficientnet-lite0-top3"
    assert Captioner(name="lite0", top_k=5).model_id() == "label-caption-efficientnet-lite0-top5"
    assert Captioner().model_id() == Captioner().model_id()


def test_uninstalled_classifier_raises_captioner_unavailable() -> None:
    with pytest.raises(CaptionerUnavailable, match="not installed"):
        Captioner(name="efficientnet-lite9").model_id()


def test_unknown_family_and_bad_limits_raise_captioner_unavailable() -> None:
    with pytest.raises(CaptionerUnavailable, match="family"):
        Captioner(family="clip").model_id()
    with pytest.raises(CaptionerUnavailable, match="top_k"):
        Captioner(top_k=0).caption([Image.new("RGB", (8, 8))])
    with pytest.raises(CaptionerUnavailable, match="max_new_tokens"):
        Captioner(family="transformers", max_new_tokens=0).model_id()


def test_no_images_give_no_captions() -> None:
    assert Captioner().caption([]) == []


# --- transformers family: tiny checkpoints built here ---------------------------------------


def _write_bert_vocab(folder: Path, extra_specials: list[str]) -> Path:
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *extra_specials, *WORDS]))
    return vocab


def _tiny_blip(folder: Path) -> torch.nn.Module:
    from transformers import (
        BertTokenizer,
        BlipConfig,
        BlipForConditionalGeneration,
        BlipImageProcessor,
        BlipProcessor,
    )

    # BLIP starts decoding from a [DEC] token and stops at [SEP].
    tokenizer = BertTokenizer(vocab=str(_write_bert_vocab(folder, ["[DEC]"])), bos_token="[DEC]")
    ids = tokenizer.convert_tokens_to_ids
    text = dict(
        vocab_size=len(tokenizer), hidden_size=16, encoder_hidden_size=16, intermediate_size=32,
        projection_dim=16, num_hidden_layers=1, num_attention_heads=2, max_position_embeddings=64,
        bos_token_id=ids("[DEC]"), eos_token_id=ids("[SEP]"), sep_token_id=ids("[SEP]"),
        pad_token_id=ids("[PAD]"),
    )  # fmt: skip
    vision = dict(
        hidden_size=16, intermediate_size=32, projection_dim=16, num_hidden_layers=1,
        num_attention_heads=2, image_size=32, patch_size=8,
    )  # fmt: skip
    config = BlipConfig(text_config=text, vision_config=vision, projection_dim=16, image_text_hidden_size=16)
    image_processor = BlipImageProcessor(size={"height": 32, "width": 32})
    BlipProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(folder)
    return BlipForConditionalGeneration(config)


def _tiny_git(folder: Path) -> torch.nn.Module:
    from transformers import (
        BertTokenizer,
        CLIPImageProcessor,
        GitConfig,
        GitForCausalLM,
        GitProcessor,
    )

    tokenizer = BertTokenizer(vocab=str(_write_bert_vocab(folder, [])))
    ids = tokenizer.convert_tokens_to_ids
    vision = dict(
        hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        image_size=32, patch_size=8,
    )  # fmt: skip
    config = GitConfig(
        vision_config=vision, vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1,
        num_attention_heads=2, intermediate_size=32, max_position_embeddings=64,
        bos_token_id=ids("[CLS]"), eos_token_id=ids("[SEP]"), pad_token_id=ids("[PAD]"),
    )  # fmt: skip
    image_processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    GitProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(folder)
    return GitForCausalLM(config)


def _tiny_vit_bert(folder: Path) -> torch.nn.Module:
    from transformers import (
        BertConfig,
        BertTokenizer,
        VisionEncoderDecoderConfig,
        VisionEncoderDecoderModel,
        ViTConfig,
        ViTImageProcessor,
    )

    # Like ViT-GPT2 on the hub: image processor and tokenizer saved side by side, no processor.
    tokenizer = BertTokenizer(vocab=str(_write_bert_vocab(folder, [])))
    ids = tokenizer.convert_tokens_to_ids
    encoder = ViTConfig(
        hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        image_size=32, patch_size=8,
    )  # fmt: skip
    decoder = BertConfig(
        vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64, is_decoder=True,
        add_cross_attention=True,
    )  # fmt: skip
    config = VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    config.decoder_start_token_id = ids("[CLS]")
    config.eos_token_id = ids("[SEP]")
    config.pad_token_id = ids("[PAD]")
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return VisionEncoderDecoderModel(config=config)


def _vocabulary_projection(model: torch.nn.Module) -> torch.nn.Linear:
    vocab_size = model.config.get_text_config(decoder=True).vocab_size
    [projection] = [
        module
        for module in model.modules()
        if isinstance(module, torch.nn.Linear) and module.out_features == vocab_size
    ]
    return projection


TINY_CAPTIONERS: dict[str, Callable[[Path], torch.nn.Module]] = {
    "blip": _tiny_blip,
    "git": _tiny_git,
    "vision-encoder-decoder": _tiny_vit_bert,
}


def _save_tiny_captioner(folder: Path, build: Callable[[Path], torch.nn.Module], steer: bool) -> Path:
    folder.mkdir(parents=True)
    torch.manual_seed(0)
    model = build(folder)
    if steer:
        # A huge output bias on one word makes every generated token that word.
        from transformers import AutoTokenizer

        word_id = AutoTokenizer.from_pretrained(folder).convert_tokens_to_ids(STEERED_WORD)
        with torch.no_grad():
            _vocabulary_projection(model).bias[word_id] = 1e4
    model.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module", params=list(TINY_CAPTIONERS))
def tiny_captioner_folders(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """(random weights, steered weights) folders for one model family."""
    root = tmp_path_factory.mktemp(request.param)
    build = TINY_CAPTIONERS[request.param]
    random = _save_tiny_captioner(root / f"tiny-{request.param}", build, steer=False)
    steered = _save_tiny_captioner(root / f"steered-{request.param}", build, steer=True)
    return random, steered


@pytest.fixture(scope="module")
def small_images() -> list[Image.Image]:
    rng = np.random.default_rng(7)
    noise = Image.fromarray(rng.integers(0, 256, (40, 56, 3), dtype=np.uint8))
    return [
        noise,
        Image.new("L", (30, 50), 200),
        Image.new("RGBA", (48, 48), (255, 0, 0, 0)),
        Image.fromarray(data.chelsea()).resize((60, 40)),
    ]


def test_transformers_captioner_loads_a_local_folder_and_captions_each_image(
    tiny_captioner_folders: tuple[Path, Path], small_images: list[Image.Image]
) -> None:
    random_folder, _ = tiny_captioner_folders
    captioner = Captioner(family="transformers", name=str(random_folder), max_new_tokens=4)
    captions = captioner.caption(small_images)
    assert len(captions) == len(small_images)
    for caption in captions:
        assert isinstance(caption.text, str)
        assert caption.labels == []
        assert len(caption.text.split()) <= 4
        assert set(caption.text.split()) <= set(WORDS)
    assert captioner.caption(small_images) == captions


def test_max_new_tokens_bounds_the_generated_caption(
    tiny_captioner_folders: tuple[Path, Path], small_images: list[Image.Image]
) -> None:
    _, steered_folder = tiny_captioner_folders
    for max_new_tokens in (1, 3):
        captioner = Captioner(family="transformers", name=str(steered_folder), max_new_tokens=max_new_tokens)
        texts = [caption.text for caption in captioner.caption(small_images)]
        assert texts == [" ".join([STEERED_WORD] * max_new_tokens)] * len(small_images)


def test_transformers_model_id_names_the_folder_and_hashes_the_weights(
    tiny_captioner_folders: tuple[Path, Path],
) -> None:
    random_folder, steered_folder = tiny_captioner_folders
    weights_hash = hashlib.sha256((random_folder / "model.safetensors").read_bytes()).hexdigest()
    model_id = Captioner(family="transformers", name=str(random_folder)).model_id()
    assert model_id == f"hf-caption-{random_folder.name}-{weights_hash[:12]}"
    assert Captioner(family="transformers", name=str(random_folder) + "/").model_id() == model_id
    steered_id = Captioner(family="transformers", name=str(steered_folder)).model_id()
    assert steered_id.startswith(f"hf-caption-{steered_folder.name}-")
    assert steered_id.rsplit("-", 1)[1] != weights_hash[:12]


def test_hub_name_not_on_disk_raises_captioner_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    captioner = Captioner(family="transformers", name="example-org/no-such-captioner")
    with pytest.raises(CaptionerUnavailable, match="hf download example-org/no-such-captioner"):
        captioner.model_id()
    with pytest.raises(CaptionerUnavailable, match="never downloads"):
        captioner.caption([Image.new("RGB", (8, 8))])


def test_missing_folder_raises_captioner_unavailable(tmp_path: Path) -> None:
    with pytest.raises(CaptionerUnavailable, match="does not exist"):
        Captioner(family="transformers", name=str(tmp_path / "absent")).model_id()


def test_folder_without_weights_raises_captioner_unavailable(tmp_path: Path) -> None:
    with pytest.raises(CaptionerUnavailable, match="no model weights"):
        Captioner(family="transformers", name=str(tmp_path)).model_id()


def test_model_that_needs_a_prompt_or_is_no_captioner_is_refused(tmp_path: Path) -> None:
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=32, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32,
    )  # fmt: skip
    BertModel(config).save_pretrained(tmp_path)
    with pytest.raises(CaptionerUnavailable, match="caption without a prompt"):
        Captioner(family="transformers", name=str(tmp_path)).caption([Image.new("RGB", (8, 8))])


def test_hub_name_in_the_local_cache_loads_without_the_network(
    tiny_captioner_folders: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    small_images: list[Image.Image],
) -> None:
    import shutil

    from huggingface_hub import constants

    # The layout `hf download` leaves behind: refs/main names the snapshot folder.
    _, steered_folder = tiny_captioner_folders
    revision = "0123456789abcdef0123456789abcdef01234567"
    repo_cache = tmp_path / "models--tiny-org--Tiny-Captioner"
    shutil.copytree(steered_folder, repo_cache / "snapshots" / revision)
    (repo_cache / "refs").mkdir()
    (repo_cache / "refs" / "main").write_text(revision)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))

    captioner = Captioner(family="transformers", name="tiny-org/Tiny-Captioner", max_new_tokens=2)
    folder_id = Captioner(family="transformers", name=str(steered_folder)).model_id()
    assert captioner.model_id() == f"hf-caption-tiny-org-tiny-captioner-{folder_id.rsplit('-', 1)[1]}"
    assert [caption.text for caption in captioner.caption(small_images[:1])] == ["cat cat"]
