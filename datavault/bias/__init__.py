"""Identity-term bias audit of sentiment scorers (``datavault bias``).

``run_audit(scorer)`` scores shipped template sentences (``data/``) with a scorer and returns a plain dict
(the contract's ``{"scorer", "terms": [...]}`` plus groups, failures and attribution); ``render`` turns it into
text, JSON or Markdown. ``scorers`` holds the shipped VADER scorer and the isolated runner for a brought
``module:function``.
"""

from datavault.bias.audit import run_audit

__all__ = ["run_audit"]
