#!/usr/bin/env python3
"""mpmath references for the fast-path accuracy tests (tests/speed_accuracy.rs).

Each instance is a pair of dyadic probability vectors: integer weights
m_i whose total is exactly 2^K, so p_i = m_i 2^-K is an exact double and the
vector sums to 1 exactly. The weights come from splitmix64, which the Rust
test reproduces bit for bit; the reference takes the doubles exactly
(mpf(float) is exact) and computes JS and KL at 60 digits.

Kinds (n = 4196 = 16 full chunks of 256 and a tail of 100):
  random    20-bit weights, p has about 1/8 zeros, q none
  wide      20-bit weights shifted left by 0..24 bits (ratios up to 2^44), p has zeros
  near      q = p's weights plus a delta in [-3, 3] (at least 1; relative 1e-6 and below), shared zeros
  subnormal `random`, then every 7th zero of p becomes 5e-324 or 1e-310
            (p then sums to 1 within 1e-307, and its chunks take the careful path)

    /work/compvenv/bin/python benches/compare/fast_path_reference.py
    /work/compvenv/bin/python benches/compare/fast_path_reference.py --check
    /work/compvenv/bin/python benches/compare/fast_path_reference.py --ln-coefficients

--check runs `target/release/gan-theory divergence --json` on the four
instances and prints its relative errors (build it first).

--ln-coefficients prints the polynomial of divergence::kernel::ln_finish instead: a
Chebyshev fit (mpmath's chebyfit, close to minimax) of degree 6 to
Q(z) = (atanh(s)/s - 1) 2/z = sum_{j>=1} 2 z^(j-1)/(2j+1), z = s^2, on
[0, ((sqrt 2 - 1)/(sqrt 2 + 1))^2], with its largest error.
"""
import sys
from mpmath import mp, mpf, log

mp.dps = 60
MASK = (1 << 64) - 1
N = 4196


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def normalise(weights):
    """Integer weights with total exactly 2^K, K = bit length of the sum:
    each gets floor(rem w / sum) of rem = 2^K - sum, the last the leftover."""
    total = sum(weights)
    k = total.bit_length()
    rem = (1 << k) - total
    out = [w + rem * w // total for w in weights]
    out[-1] += (1 << k) - sum(out)
    assert sum(out) == 1 << k and all(w < 1 << 53 for w in out)
    return [float(w) * 2.0 ** -k for w in out]


def weights(rng, kind, zeros):
    out = []
    for _ in range(N):
        m = rng.next() >> 44  # 20 bits
        if kind == "wide":
            m <<= rng.next() % 25
        if zeros and rng.next() % 8 == 0:
            m = 0
        out.append(m)
    out[-1] = max(out[-1], 1)
    return out


def instance(kind):
    rng = SplitMix64({"random": 1, "wide": 2, "near": 3, "subnormal": 4}[kind])
    if kind == "near":
        wp = weights(rng, "random", True)
        wq = [0 if w == 0 else max(w + (rng.next() % 7) - 3, 1) for w in wp]
        return normalise(wp), normalise(wq)
    base = "wide" if kind == "wide" else "random"
    p = normalise(weights(rng, base, True))
    q = normalise(weights(rng, base, False))
    if kind == "subnormal":
        zero_slots = [i for i, x in enumerate(p) if x == 0.0]
        for j, i in enumerate(zero_slots[::7]):
            p[i] = 5e-324 if j % 2 == 0 else 1e-310
    return p, q


def reference(p, q):
    P = [mpf(x) for x in p]
    Q = [mpf(x) for x in q]

    def kl(a, b):
        s = mpf(0)
        for x, y in zip(a, b):
            if x > 0:
                if y == 0:
                    return mpf("inf")
                s += x * log(x / y)
        return s

    M = [(x + y) / 2 for x, y in zip(P, Q)]
    return (kl(P, M) + kl(Q, M)) / 2, kl(P, Q), kl(Q, P)


def ln_coefficients():
    from mpmath import chebyfit, sqrt, atanh
    z_max = ((sqrt(2) - 1) / (sqrt(2) + 1)) ** 2

    def q(z):
        if z == 0:
            return mpf(2) / 3
        s = sqrt(z)
        return (atanh(s) / s - 1) * 2 / z

    poly, err = chebyfit(q, [0, z_max], 7, error=True)
    print(f"z in [0, {mp.nstr(z_max, 17)}], largest error {mp.nstr(err, 3)}; highest degree first:")
    for c in poly:
        print(f"    {float(c)!r},")


def check():
    import json, os, subprocess, tempfile
    binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "release", "gan-theory")
    worst = 0.0
    with tempfile.TemporaryDirectory() as d:
        for kind in ("random", "wide", "near", "subnormal"):
            p, q = instance(kind)
            paths = [os.path.join(d, name) for name in ("p.txt", "q.txt")]
            for path, v in zip(paths, (p, q)):
                with open(path, "w") as f:
                    f.write(" ".join(repr(x) for x in v))
            out = subprocess.run([binary, "divergence", "--p", paths[0], "--q", paths[1], "--json"],
                                 capture_output=True, text=True, check=True)
            got = json.loads(out.stdout)
            js, kl_pq, kl_qp = reference(p, q)
            line = []
            for key, want in (("js", js), ("kl_pq", kl_pq), ("kl_qp", kl_qp)):
                if want == mpf("inf"):
                    line.append(f"{key} {'inf ok' if got[key] == 'inf' else 'WRONG'}")
                    continue
                err = float(abs(mpf(got[key]) - want) / want)
                worst = max(worst, err)
                line.append(f"{key} {err:.2e}")
            print(f"{kind:9}  relative errors: " + ", ".join(line))
    print(f"largest {worst:.2e}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        check()
        sys.exit(0)
    if sys.argv[1:] == ["--ln-coefficients"]:
        ln_coefficients()
        sys.exit(0)
    for kind in ("random", "wide", "near", "subnormal"):
        p, q = instance(kind)
        js, kl_pq, kl_qp = reference(p, q)
        print(f"{kind:9}  js {mp.nstr(js, 25)}  kl(p||q) {mp.nstr(kl_pq, 25)}  kl(q||p) {mp.nstr(kl_qp, 25)}"
              f"  p[:3] {p[:3]}")
