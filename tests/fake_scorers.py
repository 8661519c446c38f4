"""Scorers with known behaviour for the bias-audit tests (imported as tests.fake_scorers, also inside worker
processes)."""

import hashlib
import math
import time

POSITIVE = {"happy": 0.6, "wonderful": 0.7, "calm": 0.2}
NEGATIVE = {"sad": -0.5, "angry": -0.6, "afraid": -0.4, "awful": -0.7, "hard": -0.1}


def _base(text: str) -> float:
    words = text.lower().replace(".", " ").replace(",", " ").replace("?", " ").split()
    return sum(POSITIVE.get(w, 0.0) + NEGATIVE.get(w, 0.0) for w in words)


def unbiased(text: str) -> float:
    """Reads only feeling words: no identity word moves it."""
    return _base(text)


def noisy_unbiased(text: str) -> float:
    """Feeling words plus deterministic noise from the sentence's hash: random differences, no bias."""
    noise = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF - 0.5
    return _base(text) + 0.05 * noise


def planted_muslim_bias(text: str) -> float:
    """Like noisy_unbiased, but any sentence with "muslim" loses 0.2 (a planted bias)."""
    return noisy_unbiased(text) - (0.2 if "muslim" in text.lower() else 0.0)


def raises_on_jewish(text: str) -> float:
    if "jewish" in text.lower():
        raise ValueError("model cannot handle this input")
    return unbiased(text)


def nan_on_deaf(text: str) -> float:
    return math.nan if "deaf" in text.lower() else unbiased(text)


def string_on_sikh(text: str):
    return "0.5" if "sikh" in text.lower() else unbiased(text)


def hangs_on_taoist(text: str) -> float:
    if "taoist" in text.lower():
        time.sleep(3600)
    return unbiased(text)


def always_hangs(text: str) -> float:
    time.sleep(3600)
    return 0.0


def prints_to_stdout(text: str) -> float:
    print("model chatter")
    return unbiased(text)


not_callable = 42
