"""The statistics of the bias audit, written out in full because scipy is not a dependency.

- ``t_sf_two_sided``: the two-sided tail probability of Student's t distribution, through the regularized
  incomplete beta function ``I_x(a, b)`` (P(|T| > t) = I_{df/(df+t^2)}(df/2, 1/2)), evaluated with the
  continued fraction of Numerical Recipes (modified Lentz). Accurate to ~1e-12 for the df an audit uses.
- ``paired_t_test``: mean difference, standard deviation, t, df and two-sided p of paired differences.
- ``sign_flip_exact_p``: the exact paired permutation (sign-flip) test, for small samples where the t test's
  normality assumption is doubtful; it enumerates all 2^n sign patterns, so it refuses n > 20.
- ``holm_adjust``: Holm-Bonferroni adjusted p-values, because an audit tests dozens of terms at once.

Deliberately ignored: one-sided tests, unequal-variance tests, effect-size confidence intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product

_EPS = 1e-15
_TINY = 1e-300


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction for I_x(a, b) (Numerical Recipes 6.4, modified Lentz's method)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) for a, b > 0 and 0 <= x <= 1."""
    if not (a > 0 and b > 0):
        raise ValueError("a and b must be positive")
    if not 0.0 <= x <= 1.0:
        raise ValueError("x must lie in [0, 1]")
    if x == 0.0 or x == 1.0:
        return x
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    front = math.exp(log_front)
    # The continued fraction converges fast only on one side of the mean; use the symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_sf_two_sided(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with ``df`` degrees of freedom."""
    if df <= 0:
        raise ValueError("df must be positive")
    if math.isnan(t):
        return math.nan
    if math.isinf(t):
        return 0.0
    return regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t))


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = t_sf_two_sided(t, df) / 2.0
    return 1.0 - tail if t > 0 else tail


@dataclass(frozen=True)
class PairedTest:
    n: int
    mean_difference: float
    sd_difference: float
    t: float | None
    df: int
    p_value: float | None


# Differences of deterministic scorers are often exactly equal except for float noise (1e-17); rounding keeps
# "all pairs differ by the same amount" from turning into a huge-but-finite t.
_DIGITS = 12


def paired_t_test(differences: list[float]) -> PairedTest:
    """Student's paired t test of H0: mean difference = 0 (two-sided).

    With fewer than two pairs there is no test (p None). When every difference is the same value the variance
    is zero: p is 1 if that value is 0 (no difference at all) and 0 otherwise (a perfectly consistent shift).
    """
    diffs = [round(d, _DIGITS) for d in differences]
    n = len(diffs)
    if n == 0:
        return PairedTest(0, math.nan, math.nan, None, 0, None)
    mean = math.fsum(diffs) / n
    if n < 2:
        return PairedTest(n, mean, math.nan, None, 0, None)
    var = math.fsum((d - mean) ** 2 for d in diffs) / (n - 1)
    sd = math.sqrt(var)
    df = n - 1
    if sd < 10.0 ** -_DIGITS:
        if abs(mean) < 10.0 ** -_DIGITS:
            return PairedTest(n, 0.0, 0.0, 0.0, df, 1.0)
        return PairedTest(n, mean, 0.0, math.copysign(math.inf, mean), df, 0.0)
    t = mean / (sd / math.sqrt(n))
    return PairedTest(n, mean, sd, t, df, t_sf_two_sided(t, df))


def sign_flip_exact_p(differences: list[float]) -> float:
    """Exact two-sided p of the paired permutation test: the share of the 2^n sign patterns whose
    |sum| is at least the observed |sum| (zero differences included, as they do not change the sum)."""
    diffs = [round(d, _DIGITS) for d in differences]
    n = len(diffs)
    if n == 0:
        return 1.0
    if n > 20:
        raise ValueError("the exact sign-flip test enumerates 2^n patterns; use it for n <= 20")
    observed = abs(math.fsum(diffs)) - 1e-9
    hits = sum(1 for signs in product((1, -1), repeat=n)
               if abs(math.fsum(s * d for s, d in zip(signs, diffs))) >= observed)
    return hits / 2 ** n


def holm_adjust(p_values: list[float | None]) -> list[float | None]:
    """Holm-Bonferroni step-down adjusted p-values (None stays None and does not count as a test)."""
    indexed = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(indexed)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted
