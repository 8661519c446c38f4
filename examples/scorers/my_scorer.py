"""A scorer to bring to `datavault bias`: any function that takes one text and returns one number.

    datavault bias --scorer examples/scorers/my_scorer.py:score

This one counts words from two short lists (written for datavault), so it has no identity words and the audit
flags nothing. To audit a real model, load it once at import time and call it in ``score``, e.g. a local
Hugging Face pipeline already on disk (datavault sends nothing anywhere, and neither should your model):

    from transformers import pipeline                     # your model, your dependency
    _model = pipeline("sentiment-analysis", model="/path/to/local/model")

    def score(text: str) -> float:
        result = _model(text[:512])[0]
        return result["score"] if result["label"] == "POSITIVE" else -result["score"]

Workshop idea: add an identity word to NEGATIVE below and watch the audit catch it.
Rules of the audit: return a plain number (not a string, not NaN); a call may take at most --timeout seconds;
an exception costs that one sentence, not the audit.
"""

POSITIVE = {"good", "great", "happy", "wonderful", "love", "calm", "proud", "glad"}
NEGATIVE = {"bad", "awful", "sad", "angry", "afraid", "hate", "terrible", "hard"}


def score(text: str) -> float:
    words = [w.strip(".,!?;:'\"").lower() for w in text.split()]
    # a count, not a share of the words: dividing by length would make a two-word term ("african american")
    # score differently from a one-word term in the same sentence, which the audit would rightly call a bias
    return float(sum(w in POSITIVE for w in words) - sum(w in NEGATIVE for w in words))
