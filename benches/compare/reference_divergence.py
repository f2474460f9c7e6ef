#!/usr/bin/env python3
"""Check `gan-theory divergence --json` against a 400-digit mpmath reference.

Random probability vectors with zeros, tiny (1e-300) and subnormal (5e-324)
entries, and nearly equal pairs (relative differences 1e-3 to 1e-15), of 1 to
60 entries (every tenth case 256 to 1100, for the chunked fast paths of JS
and KL), are written with round-trip precision; the reference takes each float
exactly (mpf(float) is exact) and computes every quantity at 50 digits.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install mpmath
    cargo build --release
    /tmp/venv/bin/python benches/compare/reference_divergence.py [CASES]
"""
import json, os, random, subprocess, sys, tempfile
from mpmath import mp, mpf, log, sqrt

mp.dps = 400  # enough for 5e-324 + 1 to keep both: sums of subnormal and O(1) entries stay exact
BIN = os.path.join(os.path.dirname(__file__), "..", "..", "target", "release", "gan-theory")
REL = 1e-12  # the agreement asked for (relative, plus the inputs' own sum error)


def random_vector(rng, n):
    while True:
        w = []
        for _ in range(n):
            u = rng.random()
            if u < 0.25:
                w.append(0.0)
            elif u < 0.30:
                w.append(rng.choice([5e-324, 1e-310, 1e-300, 1e-200]))
            else:
                w.append(rng.random())
        s = sum(w)
        if s > 0:
            p = [x / s for x in w]
            # Make the float sum exactly as the file will be read: leave the rounding to the tool's tolerance.
            return p


def reference(p, q):
    P = [mpf(x) for x in p]
    Q = [mpf(x) for x in q]
    inf = mpf("inf")

    def kl(a, b):
        s = mpf(0)
        for x, y in zip(a, b):
            if x > 0:
                if y == 0:
                    return inf
                s += x * log(x / y)
        return s

    M = [(x + y) / 2 for x, y in zip(P, Q)]
    js = (kl(P, M) + kl(Q, M)) / 2
    tv = sum(abs(x - y) for x, y in zip(P, Q)) / 2
    chi2 = inf if any(x > 0 and y == 0 for x, y in zip(P, Q)) else sum((x - y) ** 2 / y for x, y in zip(P, Q) if y > 0)
    hel = sum((sqrt(x) - sqrt(y)) ** 2 for x, y in zip(P, Q)) / 2
    cg = mpf(0)
    for x, y in zip(P, Q):
        if x > 0:
            cg += x * log(x / (x + y))
        if y > 0:
            cg += y * log(y / (x + y))
    return {"kl_pq": kl(P, Q), "kl_qp": kl(Q, P), "js": js, "js_bits": js / log(2), "tv": tv,
            "chi2": chi2, "hellinger": hel, "c_g": cg}


def main():
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rng = random.Random(2014)
    worst = {}
    floor_cases = {}
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        for case in range(cases):
            # Every tenth case is long enough for the chunked fast paths of JS and KL.
            n = rng.randint(256, 1100) if case % 10 == 9 else rng.randint(1, 60)
            p = random_vector(rng, n)
            if case % 3 == 2:
                # Nearly equal pair: q = p perturbed by a relative 1e-3 .. 1e-15.
                scale = 10.0 ** -rng.randint(3, 15)
                w = [x * (1 + scale * (2 * rng.random() - 1)) for x in p]
                q = [x / sum(w) for x in w]
            else:
                q = random_vector(rng, n)
            fp, fq = os.path.join(d, "p.txt"), os.path.join(d, "q.txt")
            with open(fp, "w") as f:
                f.write(" ".join(repr(x) for x in p))
            with open(fq, "w") as f:
                f.write(" ".join(repr(x) for x in q))
            run = subprocess.run([BIN, "divergence", "--p", fp, "--q", fq, "--json"], capture_output=True, text=True)
            if run.returncode != 0:
                # Only a sum outside the tolerance may be refused (the float normalisation above is not exact).
                print("refused:", run.stderr.strip())
                continue
            got = json.loads(run.stdout)
            ref = reference(p, q)
            for key, want in ref.items():
                have = got[key]
                if want == mpf("inf") or want > mpf(sys.float_info.max):
                    # Infinite, or beyond the largest double: the answer is "inf".
                    ok = have == "inf"
                    err = 0.0 if ok else float("inf")
                elif have == "inf":
                    ok, err = False, float("inf")
                else:
                    # Relative agreement, up to the inputs' own ambiguity: a vector that
                    # sums to 1 only within rounding defines its KL, chi2, C(G) ... only
                    # to within about |sum p - 1| + |sum q - 1| (exact here).
                    floor = abs(sum(mpf(x) for x in p) - 1) + abs(sum(mpf(x) for x in q) - 1)
                    diff = abs(mpf(have) - want)
                    err = float(diff / max(abs(want), mpf("1e-300")))
                    ok = diff <= REL * abs(want) + floor + mpf("1e-320")
                    if ok and err > REL:
                        # Decided by the inputs' rounding, not by our accuracy.
                        floor_cases[key] = floor_cases.get(key, 0) + 1
                        err = 0.0
                worst[key] = max(worst.get(key, 0.0), err if ok else float("inf"))
                if not ok:
                    failures += 1
                    print(f"case {case} {key}: got {have}, reference {mp.nstr(want, 20)}")
            for i, (x, y) in enumerate(zip(p, q)):
                ds = got["d_star"][i]
                if x == 0 and y == 0:
                    assert ds is None
                else:
                    want = mpf(x) / (mpf(x) + mpf(y))
                    err = float(abs(mpf(ds) - want) / max(want, mpf("1e-300")))
                    worst["d_star"] = max(worst.get("d_star", 0.0), err)
    print(f"{cases} cases; largest relative error per key (target {REL}):")
    for key, err in worst.items():
        extra = f"  ({floor_cases[key]} cases within the inputs' own sum error)" if key in floor_cases else ""
        print(f"  {key:10} {err:.3e}{extra}")
    print(f"{failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
