"""Sentiment scorers the audit can judge: the shipped VADER model, and any ``module:function`` a user brings.

- ``VaderScorer``: vaderSentiment's compound score (-1..1), in process. Texts longer than ``CHUNK_CHARS`` are
  scored in chunks and averaged by length, because VADER's "but" rule is quadratic in the number of words (a
  1 MB message would otherwise take hours). It can name the lexicon entries behind a term.
- ``IsolatedScorer``: a user's callable (text -> number) run in a separate worker process, so a call that hangs
  can be stopped after a per-call timeout (the worker is killed and restarted) and a call that crashes the
  interpreter cannot take the audit down. Whatever the callable does wrong (raises, returns NaN, a string, None,
  a bool, or never returns) becomes a ``ScoreFailure`` and the audit goes on without that sentence.
  The worker's standard output is sent to standard error, so a chatty model cannot corrupt the results.
- ``CallableScorer``: the same checks for a callable in this process, without a timeout (for library use).

Nothing here opens a network connection; a brought model runs on this machine only.
Deliberately ignored: batching calls to the user's callable (the contract is one text in, one number out).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import math
import multiprocessing
import os
import re
import string
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Protocol

from datavault.errors import UserError

CHUNK_CHARS = 1_000
_LONG_TEXT = 5_000


@dataclass(frozen=True)
class ScoreFailure:
    index: int          # position in the list of texts that was scored
    kind: str           # raised, not_a_number, not_finite, timeout, crashed, not_called
    detail: str


class Scorer(Protocol):
    name: str

    def score_many(self, texts: list[str]) -> tuple[list[float | None], list[ScoreFailure]]: ...

    def lexicon_entries(self, phrase: str) -> list[tuple[str, float]] | None: ...

    def close(self) -> None: ...


# --- the shipped model ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def vader_analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Cut at whitespace near every ``size`` characters (hard cut when a chunk has no whitespace)."""
    out, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            end = cut if cut > start else end
        out.append(text[start:end])
        start = end
    return out


_PUNCTUATION = string.punctuation


def _no_lexicon_word(text: str, lexicon: dict[str, float]) -> bool:
    """True when VADER would find nothing to score in an ASCII text (no emoji to translate): none of whose
    tokens, split and stripped exactly as VADER does it, is in the lexicon. VADER's score is then exactly 0:
    every valence it adds, boosts or flips starts from a lexicon word."""
    for token in text.split():
        stripped = token.strip(_PUNCTUATION)
        word = token if len(stripped) <= 2 else stripped
        if word.lower() in lexicon:
            return False
    return True


@lru_cache(maxsize=1)
def _vader_internals():
    """(SentiText, BOOSTER_DICT) when the installed VADER is the version ``_ascii_compound`` mirrors."""
    if _version("vaderSentiment") != "3.3.2":
        return None
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentiText

    return SentiText, BOOSTER_DICT


def _ascii_compound(analyzer, text: str) -> float:
    """``polarity_scores(text)["compound"]`` for ASCII text, minus its character-by-character emoji pass
    (ASCII has no emoji): the remaining steps of vaderSentiment 3.3.2's polarity_scores (MIT, (c) 2016
    C.J. Hutto), in the same order. About 13 % faster; tests compare it with the original on random texts."""
    internals = _vader_internals()
    if internals is None:
        return analyzer.polarity_scores(text)["compound"]
    senti_text_type, booster = internals
    text = text.strip()
    sentitext = senti_text_type(text)
    sentiments: list[float] = []
    words = sentitext.words_and_emoticons
    last = len(words) - 1
    for i, item in enumerate(words):
        lowered = item.lower()
        if lowered in booster or (i < last and lowered == "kind" and words[i + 1].lower() == "of"):
            sentiments.append(0)
            continue
        sentiments = analyzer.sentiment_valence(0, sentitext, item, i, sentiments)
    sentiments = analyzer._but_check(words, sentiments)
    return analyzer.score_valence(sentiments, text)["compound"]


def vader_compound(text: str) -> float:
    """VADER's compound score of ``text`` (0.0 for empty text); long texts in length-weighted chunks."""
    analyzer = vader_analyzer()
    if len(text) <= _LONG_TEXT:
        if text.isascii():
            if _no_lexicon_word(text, analyzer.lexicon):
                return 0.0
            return _ascii_compound(analyzer, text)
        return analyzer.polarity_scores(text)["compound"]
    parts = [(len(c), analyzer.polarity_scores(c)["compound"]) for c in _chunks(text) if c.strip()]
    total = sum(n for n, _ in parts)
    return math.fsum(n * s for n, s in parts) / total if total else 0.0


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown version"


class VaderScorer:
    """The shipped scorer: what a scorer using the common offline lexicon model would see."""

    def __init__(self) -> None:
        self.name = f"vader (vaderSentiment {_version('vaderSentiment')}, compound score -1..1)"

    def score_many(self, texts: list[str]) -> tuple[list[float | None], list[ScoreFailure]]:
        return [vader_compound(t) for t in texts], []

    def lexicon_entries(self, phrase: str) -> list[tuple[str, float]]:
        """The lexicon words inside ``phrase`` with their valence (-4..+4), e.g. straight +0.9."""
        lexicon = vader_analyzer().lexicon
        words = [phrase.lower()] + re.split(r"[\s\-]+", phrase.lower())
        seen: dict[str, float] = {}
        for word in words:
            if word in lexicon and word not in seen:
                seen[word] = lexicon[word]
        return list(seen.items())

    def close(self) -> None:
        pass


# --- checking what a callable returned ----------------------------------------------------------------------

def check_value(value: Any) -> tuple[str, float | str]:
    """("ok", number) or (failure kind, a plain description of what came back)."""
    if isinstance(value, bool):
        return "not_a_number", f"returned a bool ({value!r}), not a number"
    if isinstance(value, (str, bytes)):
        return "not_a_number", f"returned a {type(value).__name__} ({value[:40]!r}), not a number"
    if value is None:
        return "not_a_number", "returned None, not a number"
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError) as exc:
            return "not_a_number", f"returned {type(value).__name__} that is not a number ({exc})"
        if math.isnan(number):
            return "not_finite", "returned NaN"
        if math.isinf(number):
            return "not_finite", "returned infinity"
        return "ok", number
    return "not_a_number", f"returned a {type(value).__name__}, not a number"


def _describe_exception(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text[:300]


class CallableScorer:
    """A text -> number callable in this process, with the value checks but without a timeout."""

    def __init__(self, function: Callable[[str], Any], name: str | None = None) -> None:
        self.function = function
        self.name = name or getattr(function, "__qualname__", repr(function))

    def score_many(self, texts: list[str]) -> tuple[list[float | None], list[ScoreFailure]]:
        values: list[float | None] = []
        failures: list[ScoreFailure] = []
        for i, text in enumerate(texts):
            try:
                kind, result = check_value(self.function(text))
            except Exception as exc:  # a brought model may raise anything: it becomes a reported failure
                kind, result = "raised", "raised " + _describe_exception(exc)
            if kind == "ok":
                values.append(result)  # type: ignore[arg-type]
            else:
                values.append(None)
                failures.append(ScoreFailure(i, kind, str(result)))
        return values, failures

    def lexicon_entries(self, phrase: str) -> None:
        return None

    def close(self) -> None:
        pass


# --- a brought model, isolated ------------------------------------------------------------------------------

def _spec_parts(spec: str) -> tuple[str, str]:
    module, sep, attr = spec.rpartition(":")
    # "C:\\models\\m.py:score" has two colons; rpartition keeps the drive letter with the module part
    if not sep or not module or not attr:
        raise UserError(f"--scorer takes module:function (e.g. mymodel:score or path/to/model.py:score), "
                        f"not {spec!r}")
    return module, attr


def load_callable(spec: str) -> Callable[[str], Any]:
    """Import ``module:function`` (or ``file.py:function``; attributes may be dotted, ``mod:Model.score``).

    The current directory is searched first, like ``python -m``: a workshop keeps its model next to it.
    """
    module_name, attr = _spec_parts(spec)
    if module_name.endswith(".py") or os.sep in module_name or "/" in module_name:
        path = Path(module_name)
        if not path.is_file():
            raise UserError(f"scorer file not found: {path}")
        loader_spec = importlib.util.spec_from_file_location(path.stem, path)
        if loader_spec is None or loader_spec.loader is None:
            raise UserError(f"cannot load scorer file {path}")
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[path.stem] = module
        loader_spec.loader.exec_module(module)
    else:
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        module = importlib.import_module(module_name)
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise UserError(f"{module_name} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise UserError(f"{spec} is not callable (it is a {type(obj).__name__})")
    return obj


class _Channel:
    """Two one-way OS pipes (not a socket pair, which is what a duplex multiprocessing Pipe is on Unix): the
    worker talks to its parent without any socket at all."""

    def __init__(self, reader, writer) -> None:
        self.reader, self.writer = reader, writer

    def send(self, obj: Any) -> None:
        self.writer.send(obj)

    def recv(self) -> Any:
        return self.reader.recv()

    def poll(self, timeout: float) -> bool:
        return self.reader.poll(timeout)

    def close(self) -> None:
        self.reader.close()
        self.writer.close()


def _worker_main(spec: str, conn: _Channel) -> None:  # runs in the worker process
    sys.stdout = sys.stderr  # a print() in the model must not land among the results
    try:
        function = load_callable(spec)
    except BaseException as exc:  # reported to the parent, which turns it into one clear UserError line
        conn.send(("load_error", _describe_exception(exc)))
        return
    conn.send(("ready", None))
    while True:
        message = conn.recv()
        if message is None:
            return
        index, text = message
        try:
            value = function(text)
        except BaseException as exc:  # includes SystemExit from a model: one failed call, not a dead audit
            conn.send((index, "raised", "raised " + _describe_exception(exc)))
            continue
        kind, result = check_value(value)
        conn.send((index, kind, result))


class IsolatedScorer:
    """``module:function`` in a worker process with a per-call timeout.

    Within one ``score_many`` call (the audit makes one per term), after ``max_consecutive_timeouts`` calls in
    a row time out, the rest of that call's texts are not sent (failure kind ``not_called``): a model that
    hangs on one word costs a few timeouts for that word, and the other terms are still audited. A model that
    has never answered at all is given up on for good after the same number of timeouts.
    """

    def __init__(self, spec: str, timeout: float = 5.0, max_consecutive_timeouts: int = 3,
                 load_timeout: float = 120.0) -> None:
        _spec_parts(spec)
        self.spec = spec
        self.name = spec
        self.timeout = timeout
        self.max_consecutive_timeouts = max_consecutive_timeouts
        self.load_timeout = load_timeout
        self._context = multiprocessing.get_context("spawn")
        self._process = None
        self._conn = None
        self._answered = False
        self._timeouts = 0
        self._start()

    def _start(self) -> None:
        to_child_reader, to_child_writer = self._context.Pipe(duplex=False)
        from_child_reader, from_child_writer = self._context.Pipe(duplex=False)
        child_conn = _Channel(to_child_reader, from_child_writer)
        parent_conn = _Channel(from_child_reader, to_child_writer)
        process = self._context.Process(target=_worker_main, args=(self.spec, child_conn), daemon=True)
        process.start()
        child_conn.close()
        if not parent_conn.poll(self.load_timeout):
            process.kill()
            process.join()
            raise UserError(f"the scorer {self.spec} did not finish loading within {self.load_timeout:g} s")
        try:
            status, detail = parent_conn.recv()
        except EOFError:
            process.join()
            raise UserError(f"the scorer {self.spec} crashed while loading (exit code {process.exitcode})")
        if status != "ready":
            process.join()
            raise UserError(f"the scorer {self.spec} could not be loaded: {detail}")
        self._process, self._conn = process, parent_conn

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._conn.close()
        self._process = self._conn = None

    def score_many(self, texts: list[str]) -> tuple[list[float | None], list[ScoreFailure]]:
        values: list[float | None] = [None] * len(texts)
        failures: list[ScoreFailure] = []
        timeouts_in_a_row = 0
        for i, text in enumerate(texts):
            if not self._answered and self._timeouts >= self.max_consecutive_timeouts:
                failures.append(ScoreFailure(i, "not_called", "not sent: the scorer has never answered "
                                             f"({self._timeouts} calls timed out)"))
                continue
            if timeouts_in_a_row >= self.max_consecutive_timeouts:
                failures.append(ScoreFailure(i, "not_called", f"not sent: the scorer timed out "
                                             f"{timeouts_in_a_row} times in a row on these sentences"))
                continue
            if self._process is None:
                self._start()
            self._conn.send((i, text))
            if not self._conn.poll(self.timeout):
                self._stop()
                failures.append(ScoreFailure(i, "timeout", f"no answer within {self.timeout:g} s"))
                timeouts_in_a_row += 1
                self._timeouts += 1
                continue
            timeouts_in_a_row = 0
            try:
                _, kind, result = self._conn.recv()
            except EOFError:
                self._process.join(timeout=5)
                code = self._process.exitcode
                self._stop()
                failures.append(ScoreFailure(i, "crashed", f"the scorer process died (exit code {code})"))
                continue
            self._answered = True
            if kind == "ok":
                values[i] = result
            else:
                failures.append(ScoreFailure(i, kind, result))
        return values, failures

    def lexicon_entries(self, phrase: str) -> None:
        return None

    def close(self) -> None:
        if self._process is not None and self._conn is not None:
            try:
                self._conn.send(None)
                self._process.join(timeout=2)
            except (BrokenPipeError, OSError):
                pass
        self._stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
