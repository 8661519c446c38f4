"""The statistics of the bias audit, written out in full because scipy is not a dependency.

- ``t_sf_two_sided``: the two-sided tail probability of Student's t distribution, through the regularized
  incomplete beta function ``I_x(a, b)`` (P(|T| > t) = I_{df/(df+t^2)}(df/2, 1/2)), evaluated with the
  continued fraction of Numerical Recipes (modified Lentz). Accurate to ~1e-12 for the df an audit uses.
- ``paired_t_test``: mean difference, standard deviation, t, df and two-sided p of paired differences.
- ``sign_flip_test``: the paired permutation (sign-flip) test the audit decides with. Under H0 (the identity
  word changes nothing) each difference is as likely positive as negative, so the 2^n sign patterns of the n
  differences are equally likely. The two-sided p is the share of patterns whose |sum| is at least the observed
  |sum|, the observed pattern and its mirror image included:

      p = #{s in {-1, +1}^n : |sum s_i d_i| >= |sum d_i|} / 2^n

  so the smallest p it can give is 2 / 2^n = 2^(1-n) (n = the number of non-zero differences; a zero difference
  flips to itself and leaves p unchanged). Eight sentences that all move by the same amount give p = 2^-7 =
  0.0078, never 1e-300. How p is obtained (``method``):

  * ``sign-flip exact``: the distribution of the sum is counted exactly (differences as integers of 1e-12, a
    dictionary of partial sums: cheap when many differences are tied, as a lexicon model's are); always for
    up to ``EXACT_UP_TO`` = 20 non-zero differences, above that while at most ``MAX_STATES`` sums are distinct.
    Differences all of one sign (a constant shift among them) are exact in closed form for any n: p = 2^(1-n).
  * ``sign-flip Monte Carlo``: more than 20 differences with too many distinct sums and n < ``T_FROM`` = 30:
    ``MC_DRAWS`` = 20,000 random sign patterns from ``random.Random(MC_SEED)`` (seed 0, so the same data give
    the same p), p = (hits + 1) / (draws + 1) (Phipson & Smyth 2010: never 0).
  * ``paired t``: n >= 30 non-tied differences (variance > 0), where the t test's normal approximation is
    sound and enumeration is not feasible.

  ``note`` says in words what a degenerate sample is: "constant shift of -0.250 on 8 sentences", "no difference
  on any of the 32 sentences".
- ``sign_flip_exact_p``: the exact p alone, by plain enumeration (n <= 20): the definition, kept as a check.
- ``holm_adjust``: Holm-Bonferroni adjusted p-values, because an audit tests dozens of terms at once.

Deliberately ignored: one-sided tests, unequal-variance tests, effect-size confidence intervals.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
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
    is zero: p is 1 if that value is 0 (no difference at all); a non-zero constant shift has no t distribution
    to speak of (t is infinite), so p is None rather than a meaningless 0: ``sign_flip_test`` gives its exact
    p, 2^(1-n).
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
        return PairedTest(n, mean, 0.0, math.copysign(math.inf, mean), df, None)
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


EXACT_UP_TO = 20        # non-zero differences always counted exactly (at most 2^20 partial sums)
MAX_STATES = 1 << 16    # above 20: exact while the partial sums stay this few (tied differences)
T_FROM = 30             # from this many pairs, a sample too varied to count exactly uses the t test
MC_DRAWS = 20_000
MC_SEED = 0

EXACT = "sign-flip exact"
MONTE_CARLO = "sign-flip Monte Carlo"
T_TEST = "paired t"


@dataclass(frozen=True)
class SignFlipTest:
    n: int                 # pairs
    nonzero: int           # pairs whose difference is not zero
    p_value: float | None  # two-sided; None without at least two pairs
    method: str | None     # EXACT, MONTE_CARLO, T_TEST; None without a test
    min_p: float | None    # the smallest p this sample could give: 2^(1-nonzero) (1 with no non-zero difference)
    draws: int | None = None
    note: str | None = None


def _shift_note(diffs: list[float], nonzero: list[float]) -> str | None:
    """In words, when the sample is degenerate: no difference at all, or one and the same shift."""
    n = len(diffs)
    if not nonzero:
        return f"no difference on any of the {n} sentences"
    if len(set(nonzero)) == 1:
        shift = f"{nonzero[0]:+.3f}"
        if len(nonzero) == n:
            return f"constant shift of {shift} on {n} sentences"
        return f"constant shift of {shift} on {len(nonzero)} of {n} sentences (no difference on the others)"
    if all(d > 0 for d in nonzero) or all(d < 0 for d in nonzero):
        lo, hi = sorted((min(abs(d) for d in nonzero), max(abs(d) for d in nonzero)))
        return (f"{'higher' if nonzero[0] > 0 else 'lower'} in all {len(nonzero)} "
                f"{'sentences' if len(nonzero) == n else f'of {n} sentences that differ'} (by {lo:.3f} to {hi:.3f})")
    return None


def _exact_count(units: list[int], observed: int, max_states: int | None) -> int | None:
    """Sign patterns of ``units`` whose |sum| >= ``observed`` (> 0), counted through the distribution of the
    sum; None when more than ``max_states`` partial sums are distinct."""
    sums: dict[int, int] = {0: 1}
    for u in units:
        nxt: dict[int, int] = defaultdict(int)
        for total, count in sums.items():
            nxt[total + u] += count
            nxt[total - u] += count
        sums = nxt
        if max_states is not None and len(sums) > max_states:
            return None
    # the distribution is symmetric: |S| >= T is S >= T or S <= -T, two disjoint mirror images
    return 2 * sum(count for total, count in sums.items() if total >= observed)


def sign_flip_test(differences: list[float], *, exact_up_to: int = EXACT_UP_TO, max_states: int = MAX_STATES,
                   t_from: int = T_FROM, draws: int = MC_DRAWS, seed: int = MC_SEED) -> SignFlipTest:
    """The two-sided paired sign-flip test of H0: the differences are symmetric around 0 (module docstring)."""
    diffs = [round(d, _DIGITS) for d in differences]
    n = len(diffs)
    nonzero = [d for d in diffs if abs(d) >= 10.0 ** -_DIGITS]
    k = len(nonzero)
    note = _shift_note(diffs, nonzero) if n else None
    if n < 2:
        return SignFlipTest(n, k, None, None, None, note=note)
    min_p = 2.0 ** (1 - k) if k else 1.0
    if not k:
        return SignFlipTest(n, 0, 1.0, EXACT, 1.0, note=note)
    if all(d > 0 for d in nonzero) or all(d < 0 for d in nonzero):
        # one direction (a constant shift included): the observed |sum| is the largest there is, and any flip
        # lowers it, so only the observed pattern and its mirror reach it: p = 2 / 2^k exactly
        return SignFlipTest(n, k, min_p, EXACT, min_p, note=note)
    units = [abs(round(d * 10 ** _DIGITS)) for d in nonzero]
    observed = abs(sum(round(d * 10 ** _DIGITS) for d in nonzero))
    if observed == 0:
        return SignFlipTest(n, k, 1.0, EXACT, min_p, note=note)
    hits = _exact_count(units, observed, None if k <= exact_up_to else max_states)
    if hits is not None:
        return SignFlipTest(n, k, hits / 2 ** k, EXACT, min_p, note=note)
    if n >= t_from:
        return SignFlipTest(n, k, paired_t_test(diffs).p_value, T_TEST, min_p, note=note)
    rng = random.Random(seed)
    hits = 0
    for _ in range(draws):
        bits = rng.getrandbits(k)
        total = 0
        for i, u in enumerate(units):
            total += u if bits >> i & 1 else -u
        if abs(total) >= observed:
            hits += 1
    return SignFlipTest(n, k, (hits + 1) / (draws + 1), MONTE_CARLO, min_p, draws=draws, note=note)


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
