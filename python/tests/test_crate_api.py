"""The crate's own API: divergences and the GAN game on validated distributions (against
closed forms and scipy), verify, and README's Python example run as written."""

import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.special import rel_entr
from scipy.stats import entropy

import gan_theory as gt

# Closed forms and scipy's sums agree with ours to a few ulps per term; 1e-12 relative
# leaves three orders of magnitude over that (the crate's tol::close).
CLOSE = 1e-12

LN2 = math.log(2.0)


def random_distributions(seed, n=50):
    rng = np.random.default_rng(seed)
    p, q = rng.random(n), rng.random(n)
    p[rng.random(n) < 0.3] = 0.0
    p[0] += 0.1
    return p / p.sum(), q / q.sum()


@pytest.mark.parametrize("seed", range(10))
def test_divergences_against_scipy_and_their_definitions(seed):
    p, q = random_distributions(seed)
    m = (p + q) / 2
    assert gt.kl(p, q) == pytest.approx(entropy(p, q), rel=CLOSE, abs=0)
    assert gt.js(p, q) == pytest.approx(0.5 * rel_entr(p, m).sum() + 0.5 * rel_entr(q, m).sum(), rel=CLOSE, abs=0)
    assert gt.tv(p, q) == pytest.approx(0.5 * np.abs(p - q).sum(), rel=CLOSE, abs=0)
    assert gt.chi2(p, q) == pytest.approx(((p - q) ** 2 / q).sum(), rel=CLOSE, abs=0)
    assert gt.hellinger(p, q) == pytest.approx(0.5 * ((np.sqrt(p) - np.sqrt(q)) ** 2).sum(), rel=CLOSE, abs=0)
    # jensenshannon is sqrt(js) on distributions
    assert gt.jensenshannon(p, q) ** 2 == pytest.approx(gt.js(p, q), rel=CLOSE, abs=0)


@pytest.mark.parametrize("seed", range(10))
def test_theorem_1_and_the_optimal_discriminator(seed):
    p_data, p_g = random_distributions(seed)
    c = gt.c_of_g(p_data, p_g)
    assert c == pytest.approx(-math.log(4) + 2 * gt.js(p_data, p_g), rel=CLOSE, abs=0)
    d = gt.d_star(p_data, p_g)
    np.testing.assert_allclose(d, p_data / (p_data + p_g), rtol=CLOSE)
    assert gt.value(p_data, p_g, d) == pytest.approx(c, rel=CLOSE, abs=0)
    # D* maximises V: any other discriminator scores at most C(G)
    other = np.clip(d + 0.05 * np.random.default_rng(seed).standard_normal(len(d)), 0, 1)
    assert gt.value(p_data, p_g, other) <= c


def test_closed_forms():
    p, q = [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
    assert gt.js(p, q) == pytest.approx(LN2 / 2, rel=CLOSE, abs=0)
    assert gt.c_of_g(p, q) == pytest.approx(-LN2, rel=CLOSE, abs=0)
    assert gt.tv(p, q) == 0.5
    assert gt.kl(p, q) == math.inf and gt.chi2(p, q) == math.inf
    assert gt.js([1.0, 0.0], [0.0, 1.0]) == LN2  # disjoint supports
    assert gt.c_of_g(p, p) == pytest.approx(-math.log(4), rel=CLOSE, abs=0)
    d = gt.d_star([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    assert d[0] == 1.0 and d[1] == 0.0 and math.isnan(d[2])  # undetermined off the supports
    assert gt.value([0.5, 0.5], [0.5, 0.5], [0.5, 0.5]) == pytest.approx(-math.log(4), rel=CLOSE, abs=0)
    assert gt.value([1.0, 0.0], [0.0, 1.0], [0.0, 0.0]) == -math.inf


def test_the_crate_api_never_normalises():
    with pytest.raises(ValueError, match="sum to"):
        gt.js([1.0, 1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match="sum to"):
        gt.kl([0.5, 0.5], [2.0, 2.0])


def test_verify_runs_every_claim_and_all_pass():
    rows = gt.verify()
    claims = {r["claim"] for r in rows}
    assert {"A1", "A4", "B2", "C1", "D1", "E1"} <= claims
    for r in rows:
        assert set(r) == set(gt.Measurement.__annotations__)
        assert r["passed"], r
        assert r["error"] is None
        assert 0.0 <= r["false_alarm"] <= 1.0
        assert r["comparison"] in ("within", "at_most", "at_least", "between")
        assert (r["low"] is None) == (r["comparison"] != "between")
    # the same seed gives the same numbers
    again = gt.verify(2014, ids=["A4", "C1"])
    chosen = [r for r in rows if r["claim"] in ("A4", "C1")]
    assert [r["measured"] for r in again] == [r["measured"] for r in chosen]


def readme_python_block():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("\n## Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "README's Python section has one python block"
    return blocks[0]


def test_readme_example_runs_as_written(capsys):
    code = readme_python_block()
    assert len(code.strip().splitlines()) <= 10
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert out.strip(), "the example prints its results"
