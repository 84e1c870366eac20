"""`held_back_21`'s speech: six sentences, each said in a way no slice's speech was. Earlier slices varied only
espeak-ng's voice, variant and rate, and every variant is spent; here each recording also sets espeak-ng's pitch,
the gap between words and the amplitude, and numpy then puts it where people are heard: through a telephone's band,
in a room's echo, in a café's noise, in a dialogue with a second speaker who asks for the number, over mains hum,
and under a second speaker talking at the same time. The values come from the slice's own generator."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from mm_assets.operations.pii_sets_built_names import spoken_in_turn
from mm_assets.operations.pii_sets_held_back_11_12 import digit_words, luhn_digit
from mm_assets.operations.pii_sets_held_back_21 import SEED, HeldBack21Values
from mm_assets.operations.pii_sets_held_back_21_numbers import nhs_number

SAMPLE_RATE = 16_000
# (espeak-ng voice and variant, words per minute): pairs no slice used, of the milder variants (the last unused
# ones, robosoft, Tweaky, RicishayMax, were hard for Whisper tiny.en even said plainly, 2026-12-04 18:21 UTC); a
# variant after `en-gb` is not read by espeak-ng 1.51 (it speaks plain en-gb), so no voice here is en-gb
VOICES = (("en-us+m2", 134), ("en-gb-x-rp+f2", 151), ("en-us+m6", 124), ("en-us-nyc+m3", 136),
          ("en-gb-x-gbclan+m3", 161), ("en-us+f4", 166))  # fmt: skip
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")
# the second speaker of the dialogue and of the crosstalk
SECOND_VOICE = ("en-gb-x-rp+m2", 158)


@dataclass(frozen=True)
class Delivery:
    """How one sentence is said: espeak-ng's pitch (0-99), gap between words (units of 10 ms) and amplitude
    (0-200), and what the recording goes through after (`telephone`, `room`, `cafe`, `dialogue`, `hum`,
    `crosstalk`) with its strength (decibels below the speech for noise, seconds of echo for a room)."""

    pitch: int
    word_gap: int
    amplitude: int
    setting: str
    strength: float = 0.0
    second_line: str = ""  # what the second speaker says (a dialogue's question, or the crosstalk)


DELIVERIES = {
    "card": Delivery(pitch=78, word_gap=6, amplitude=120, setting="telephone"),
    "address": Delivery(pitch=22, word_gap=2, amplitude=100, setting="room", strength=0.2),
    "email": Delivery(pitch=55, word_gap=8, amplitude=90, setting="cafe", strength=18.0),
    "ssn": Delivery(pitch=64, word_gap=4, amplitude=100, setting="dialogue", second_line="And the NHS number?"),
    "person": Delivery(pitch=35, word_gap=3, amplitude=40, setting="hum", strength=24.0),
    "phone": Delivery(
        pitch=48,
        word_gap=0,
        amplitude=110,
        setting="crosstalk",
        strength=16.0,
        second_line="I think the bus is late again, it was late all week.",
    ),  # fmt: skip
}


def spoken_card() -> str:
    """The card number the slice's speech says (a Luhn-valid Meeza number, 16 digits in groups of four)."""
    rng = random.Random(SEED + 1)
    body = "507803" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    number = body + luhn_digit(body)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


def spoken_pii() -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said), values from the slice's own generator."""
    values, rng = HeldBack21Values(SEED + 2), random.Random(SEED + 3)
    given, family = values._fresh(values._cornish).split()
    email = f"{values.email_word(given)} dot {values.email_word(family)}"
    person = values._fresh(values._tahitian)
    while person.split()[0].isupper():  # said in the order the speaker uses, not a French form's
        person = values._fresh(values._tahitian)
    nhs = nhs_number(rng, "19840917")
    macau = f"{rng.randint(10, 99)} {rng.randint(1000, 9999)}"
    sentences = {
        "card": f"Hang on, I have the card here now, it reads {digit_words(spoken_card())}.",
        "address": f"Post it to {rng.randint(20, 79)} Chapel Street, Penzance, Cornwall, T R eighteen, four A J.",
        "email": f"Spell it as you hear it: {email} at btinternet dot com, all in lower case.",
        "ssn": f"Of course. It is {digit_words(nhs)}.",
        "person": f"Please put the booking under {person}, we arrive from Punaauia.",
        "phone": f"The guesthouse in Macau answers on eight five three, two eight, {digit_words(macau)}.",
    }
    return spoken_in_turn(VOICES, SPOKEN_KINDS, sentences)


SPOKEN_PII = spoken_pii()


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples**2))) or 1e-9


def _under(speech: np.ndarray, other: np.ndarray, decibels: float) -> np.ndarray:
    """`speech` with `other` (cut or padded to its length) mixed in `decibels` below it."""
    other = (
        np.resize(other, speech.shape) if len(other) >= len(speech) else np.pad(other, (0, len(speech) - len(other)))
    )
    return speech + other * (_rms(speech) / _rms(other)) * 10 ** (-decibels / 20)


def telephone(speech: np.ndarray) -> np.ndarray:
    """The band a telephone line carries, 300 to 3,400 Hz."""
    spectrum = np.fft.rfft(speech)
    frequencies = np.fft.rfftfreq(len(speech), 1 / SAMPLE_RATE)
    spectrum[(frequencies < 300) | (frequencies > 3400)] = 0
    return np.fft.irfft(spectrum, len(speech))


def room(speech: np.ndarray, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """A room's echo: the direct sound and a tail of noise that decays by 60 dB in `seconds`."""
    times = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    response = rng.standard_normal(len(times)) * np.exp(-6.9 * times / seconds) * 0.3
    response[0] = 1.0
    size = len(speech) + len(response) - 1
    return np.fft.irfft(np.fft.rfft(speech, size) * np.fft.rfft(response, size), size)


def cafe(speech: np.ndarray, decibels: float, rng: np.random.Generator) -> np.ndarray:
    """Noise of a room full of people, its power falling with frequency (brown noise), `decibels` below."""
    noise = np.cumsum(rng.standard_normal(len(speech)))
    noise -= np.convolve(noise, np.ones(400) / 400, mode="same")  # no drift below 40 Hz
    return _under(speech, noise, decibels)


def hum(speech: np.ndarray, decibels: float) -> np.ndarray:
    """Mains hum of 50 Hz and its odd harmonics, `decibels` below."""
    times = np.arange(len(speech)) / SAMPLE_RATE
    tone = sum(np.sin(2 * np.pi * 50 * k * times) / k for k in (1, 3, 5))
    return _under(speech, tone, decibels)


def recording(voice: str, rate: int, kind: str, sentence: str) -> np.ndarray:
    """The sentence as held_back_21's speech segment hears it: espeak-ng with the kind's delivery, then its
    setting; mono float32 at 16 kHz, peaks at 0.9."""
    from mm_assets.operations.av_samples import silence, speak

    delivery = DELIVERIES[kind]
    rng = np.random.default_rng(SEED + SPOKEN_KINDS.index(kind))
    said = speak(sentence, rate, voice, pitch=delivery.pitch, word_gap=delivery.word_gap, amplitude=delivery.amplitude)
    second = speak(delivery.second_line, SECOND_VOICE[1], SECOND_VOICE[0]) if delivery.second_line else None
    if delivery.setting == "telephone":
        said = telephone(said)
    elif delivery.setting == "room":
        said = room(said, delivery.strength, rng)
    elif delivery.setting == "cafe":
        said = cafe(said, delivery.strength, rng)
    elif delivery.setting == "hum":
        said = hum(said, delivery.strength)
    elif delivery.setting == "dialogue" and second is not None:
        said = np.concatenate([second, silence(0.4), said])
    elif delivery.setting == "crosstalk" and second is not None:
        said = _under(said, np.concatenate([silence(0.6), second]), delivery.strength)
    return (said * 0.9 / max(float(np.max(np.abs(said))), 1e-9)).astype(np.float32)
