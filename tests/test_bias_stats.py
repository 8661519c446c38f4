"""The t distribution and paired tests, checked against values worked out by hand (closed forms)."""

import math

import pytest

from datavault.bias.stats import (EXACT, MONTE_CARLO, T_TEST, holm_adjust, paired_t_test,
                                  regularized_incomplete_beta, sign_flip_exact_p, sign_flip_test, t_cdf,
                                  t_sf_two_sided)


def test_incomplete_beta_closed_forms():
    # I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b; I_x(1/2, 1/2) = (2/pi) asin(sqrt x)
    assert regularized_incomplete_beta(1, 1, 0.3) == pytest.approx(0.3, abs=1e-14)
    assert regularized_incomplete_beta(3, 1, 0.5) == pytest.approx(0.125, abs=1e-14)
    assert regularized_incomplete_beta(1, 4, 0.2) == pytest.approx(1 - 0.8 ** 4, abs=1e-14)
    assert regularized_incomplete_beta(0.5, 0.5, 0.25) == pytest.approx(2 / math.pi * math.asin(0.5), abs=1e-12)
    assert regularized_incomplete_beta(2, 3, 0.0) == 0.0
    assert regularized_incomplete_beta(2, 3, 1.0) == 1.0


def test_t_distribution_against_hand_computed_values():
    # df = 1 is the Cauchy distribution: P(|T| > 1) = 1/2, P(|T| > sqrt 3) = 1 - 2 atan(sqrt 3)/pi = 1/3
    assert t_sf_two_sided(1.0, 1) == pytest.approx(0.5, abs=1e-13)
    assert t_sf_two_sided(math.sqrt(3), 1) == pytest.approx(1 / 3, abs=1e-13)
    # df = 2: P(|T| > t) = 1 - t / sqrt(2 + t^2); t = 2 gives 1 - 2/sqrt 6 = 0.183503419...
    assert t_sf_two_sided(2.0, 2) == pytest.approx(1 - 2 / math.sqrt(6), abs=1e-13)
    assert t_sf_two_sided(2.0, 2) == pytest.approx(0.1835034190722739, abs=1e-13)
    # symmetric, and the CDF is half the two-sided tail below zero
    assert t_cdf(0.0, 7) == pytest.approx(0.5, abs=1e-15)
    assert t_cdf(-1.0, 1) == pytest.approx(0.25, abs=1e-13)
    assert t_cdf(1.0, 1) == pytest.approx(0.75, abs=1e-13)
    # large df approaches the normal: P(|Z| > 1.959964) = 0.05
    assert t_sf_two_sided(1.959963984540054, 1_000_000) == pytest.approx(0.05, abs=1e-6)
    assert t_sf_two_sided(math.inf, 5) == 0.0


def test_paired_t_test_hand_computed_case():
    # scores with and without the identity word over four templates
    with_term = [1.0, 2.0, 3.0, 4.0]
    reference = [0.0, 0.0, 1.0, 1.0]
    d = [a - b for a, b in zip(with_term, reference)]  # 1, 2, 2, 3: mean 2, sd sqrt(2/3)
    test = paired_t_test(d)
    t = 2 / (math.sqrt(2 / 3) / 2)  # = sqrt 24 = 4.898979...
    assert test.n == 4 and test.df == 3
    assert test.mean_difference == 2.0
    assert test.sd_difference == pytest.approx(math.sqrt(2 / 3), abs=1e-15)
    assert test.t == pytest.approx(math.sqrt(24), abs=1e-12)
    # df = 3: F(t) = 1/2 + (1/pi) (u/(1+u^2) + atan u), u = t/sqrt 3 = sqrt 8; two-sided p = 2 (1 - F(t))
    u = t / math.sqrt(3)
    p_hand = 2 * (0.5 - (u / (1 + u * u) + math.atan(u)) / math.pi)
    assert test.p_value == pytest.approx(p_hand, abs=1e-12)
    assert test.p_value == pytest.approx(0.016277, abs=1e-6)


def test_paired_t_test_degenerate_cases():
    assert paired_t_test([0.0, 0.0, 0.0]).p_value == 1.0
    # a constant shift has no t distribution: no asymptotic p (never 0 or 1e-300); sign_flip_test answers it
    shifted = paired_t_test([0.25, 0.25, 0.25 + 1e-17])
    assert shifted.p_value is None and shifted.mean_difference == 0.25 and shifted.t == math.inf
    assert paired_t_test([0.4]).p_value is None
    assert paired_t_test([]).p_value is None


def test_sign_flip_exact_test():
    # four positive differences: only the all-plus and all-minus patterns reach |sum| = 8: p = 2/16
    assert sign_flip_exact_p([1, 2, 2, 3]) == pytest.approx(2 / 16)
    assert sign_flip_exact_p([1, -1]) == 1.0
    with pytest.raises(ValueError):
        sign_flip_exact_p([1.0] * 21)


def test_holm_adjustment():
    # sorted p 0.01, 0.02, 0.04 -> 3*0.01, max(0.03, 2*0.02), max(0.04, 1*0.04)
    assert holm_adjust([0.04, 0.01, None, 0.02]) == [pytest.approx(0.04), pytest.approx(0.03), None,
                                                      pytest.approx(0.04)]


def test_constant_shift_on_eight_sentences_is_exactly_two_to_the_minus_seven():
    """The issue's case: eight sentences all moved by -0.25. Of the 2^8 sign patterns only the observed one and
    its mirror reach |sum| = 2, so the two-sided p is 2/256 = 2^-7, not < 1e-300."""
    test = sign_flip_test([-0.25] * 8)
    assert test.p_value == 2 ** -7 == 0.0078125
    assert test.method == EXACT and test.min_p == 2 ** -7 and test.n == 8 and test.nonzero == 8
    assert test.note == "constant shift of -0.250 on 8 sentences"
    assert sign_flip_exact_p([-0.25] * 8) == 2 ** -7  # the plain enumeration agrees
    # float noise does not break the shift into different values
    assert sign_flip_test([0.1 + 0.2, 0.3, 0.3]).note == "constant shift of +0.300 on 3 sentences"
    # the smallest p is 2^(1-n) for any n (a constant shift is closed form, no enumeration)
    assert sign_flip_test([0.5] * 32).p_value == 2 ** -31
    assert sign_flip_test([0.5] * 200).p_value == 2 ** -199


def test_sign_flip_test_degenerate_and_small_samples():
    none = sign_flip_test([0.0] * 5)
    assert (none.p_value, none.method, none.note) == (1.0, EXACT, "no difference on any of the 5 sentences")
    assert sign_flip_test([0.4]).p_value is None and sign_flip_test([]).p_value is None
    # zeros flip to themselves: six equal shifts among eight pairs give 2/2^6
    part = sign_flip_test([0.25] * 6 + [0.0, 0.0])
    assert part.p_value == 2 ** -5 and part.nonzero == 6
    assert part.note == "constant shift of +0.250 on 6 of 8 sentences (no difference on the others)"
    # one direction, different sizes: still only the observed pattern and its mirror reach the observed |sum|
    same_sign = sign_flip_test([-0.1, -0.2, -0.3, -0.4])
    assert same_sign.p_value == 2 / 16 and same_sign.note == "lower in all 4 sentences (by 0.100 to 0.400)"
    # a sum of zero: every pattern reaches it
    assert sign_flip_test([1.0, -1.0]).p_value == 1.0
    # hand count: d = 1, 2, -3 (sum 0 -> p 1); d = 3, 1, -1 (sum 3): patterns with |sum| >= 3 are
    # (+,+,-) 3, (+,-,+) 3, (+,+,+) 5, (+,-,-) 1 no, and the mirrors: 6 of 8
    assert sign_flip_test([3.0, 1.0, -1.0]).p_value == 6 / 8 == sign_flip_exact_p([3.0, 1.0, -1.0])


def test_sign_flip_exact_matches_enumeration_and_switches_method_above_the_cap():
    import random

    rng = random.Random(7)
    for n in (5, 9, 14):
        d = [round(rng.gauss(0.2, 1), 3) for _ in range(n)]
        assert sign_flip_test(d).p_value == pytest.approx(sign_flip_exact_p(d), abs=1e-15)
        assert sign_flip_test(d).method == EXACT
    # 25 differences: above 20, counted exactly only while the distinct partial sums stay few (tied values);
    # under a small cap -> seeded Monte Carlo
    d = [round(rng.gauss(0.3, 1), 1) for _ in range(25)]
    mc = sign_flip_test(d, max_states=40)
    assert mc.method == MONTE_CARLO and mc.draws == 20_000
    assert mc.p_value == sign_flip_test(d, max_states=40).p_value  # seeded: the same p every time
    assert 1 / 20_001 <= mc.p_value <= 1
    exact = sign_flip_test(d)  # the default cap counts these tied values exactly; the estimate is close
    assert exact.method == EXACT and mc.p_value == pytest.approx(exact.p_value, abs=0.01)
    # 40 untied differences: the t test, whose normal approximation holds there
    d = [rng.gauss(0.3, 1) for _ in range(40)]
    t = sign_flip_test(d, max_states=1000)
    assert t.method == T_TEST and t.p_value == pytest.approx(paired_t_test(d).p_value)
