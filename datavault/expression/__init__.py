"""The person's own words as a sentiment-reading scorer would judge them (see ``sentiment`` and ``findings``).

``expression_section(vault_path)`` is what the report plugs in.
"""

from datavault.expression.findings import expression_section

__all__ = ["expression_section"]
