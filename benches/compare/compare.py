#!/usr/bin/env python3
"""gan-theory side by side with POT, scipy and PyTorch: one command.

    python3 benches/compare/compare.py            # venv, cargo bench, Python timings, table
    python3 benches/compare/compare.py --python /work/compvenv/bin/python
    python3 benches/compare/compare.py --no-bench # reuse criterion's last results

What it does, in one run:
  1. finds a Python with numpy, scipy, POT and PyTorch: --python, else
     $GAN_THEORY_COMPARE_PYTHON, else the venv $GAN_THEORY_COMPARE_VENV or
     $XDG_CACHE_HOME/gan-theory-compare (~/.cache/gan-theory-compare), which
     it creates (python3 -m venv) and fills (pip install numpy scipy pot
     mpmath, and torch from PyTorch's CPU-only index) the first time;
  2. section by section (divergences, EMD, W1, Algorithm 1), runs the
     criterion groups it compares (cargo bench, --warm-up-time 1: js, kl,
     floor, value_estimator; emd; w1_samples; algorithm1), then at once
  3. times the other tools on the same configurations, in a child process
     of that Python (median of repeated runs, one thread):
       js/n          scipy.spatial.distance.jensenshannon, n in 1e3, 1e6, 1e7:
                     two vectors of uniform(0, 1) weights normalised to 1
       kl/n          scipy.stats.entropy(p, q) (= KL), same vectors
       emd/n         ot.emd2, n in 100, 500, 1000, 2000 points uniform in the
                     unit square on each side, random masses, Euclidean cost
                     (cost built outside the timing, as in the bench)
       w1_samples/n  ot.wasserstein_1d and scipy.stats.wasserstein_distance,
                     n draws of N(0, 1) against n of N(0.5, 1), n in 1e4, 1e5, 1e6
       algorithm1    one iteration of Algorithm 1 in PyTorch on one thread,
                     float32 (PyTorch's default) and float64 (the crate's
                     precision): torch_algorithm1.py's network and batch
  4. reads criterion's medians (target/criterion/<group>/<id>/new/estimates.json),
     prints the table (ours, theirs, ratio theirs/ours, target, pass), the
     growth exponents (least squares of log time on log n), JS against its
     floors, and writes everything to target/compare/results.json.

The exit status is 1 if a target of issue 7 is missed: JS at n = 1e7 at
least 5 times faster than scipy; exact EMD at n = 1000 and 2000 no slower
than POT; W1 on 1e6 samples at least 3 times faster than POT; one
Algorithm-1 iteration at least 10 times faster than PyTorch on one thread.

Run it on a quiet machine: both sides are timed in the same run, but other
load shifts the two sides at different moments. CI never runs it.
"""
import argparse, json, math, os, platform, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

# Sections, run one after the other, each side by side: (name, cargo bench
# target, criterion filter); the worker times the other tools' part of the
# section right after criterion has timed ours, so that a change of load
# between the two is less likely.
SECTIONS = [
    ("divergence", "divergence", "^(js|kl|floor|value_estimator)/"),
    ("emd", "transport", "^emd/"),
    ("w1", "transport", "^w1_samples/"),
    ("algorithm1", "mlp", "^algorithm1/"),
]

JS_SIZES = [1_000, 1_000_000, 10_000_000]
EMD_SIZES = [100, 500, 1000, 2000]
W1_SIZES = [10_000, 100_000, 1_000_000]

# Rows: (label, our criterion id, their key, target ratio theirs/ours or None).
ROWS = (
    [(f"JS, n = {n:.0e}".replace("e+0", "e"), f"js/{n}", f"scipy_jensenshannon/{n}",
      5.0 if n == 10_000_000 else None) for n in JS_SIZES]
    + [(f"KL, n = {n:.0e}".replace("e+0", "e"), f"kl/{n}", f"scipy_entropy/{n}", None) for n in JS_SIZES]
    + [(f"exact EMD, n = {n}", f"emd/{n}", f"ot_emd2/{n}", 1.0 if n in (1000, 2000) else None)
       for n in EMD_SIZES]
    + [(f"W1 samples, n = {n:.0e}".replace("e+0", "e"), f"w1_samples/{n}", f"ot_wasserstein_1d/{n}",
        3.0 if n == 1_000_000 else None) for n in W1_SIZES]
    + [(f"W1 samples, n = {n:.0e} (scipy)".replace("e+0", "e"), f"w1_samples/{n}",
        f"scipy_wasserstein_distance/{n}", None) for n in W1_SIZES]
    + [("Algorithm 1, one iteration (torch float32)", "algorithm1/step", "torch_algorithm1/float32", 10.0),
       ("Algorithm 1, one iteration (torch float64)", "algorithm1/step", "torch_algorithm1/float64", 10.0)]
)

THEIR_NAMES = {
    "scipy_jensenshannon": "scipy jensenshannon",
    "scipy_entropy": "scipy entropy(p, q)",
    "ot_emd2": "POT ot.emd2",
    "ot_wasserstein_1d": "POT ot.wasserstein_1d",
    "scipy_wasserstein_distance": "scipy wasserstein_distance",
    "torch_algorithm1": "PyTorch, 1 thread",
}


# ---------------------------------------------------------------- worker side
# Runs under the venv's Python: times the other tools, prints JSON (seconds).

def median_time(f, min_repeats=5, budget=2.0, max_repeats=50):
    """Median of at least min_repeats timed calls (more while within budget seconds)."""
    f()  # warm-up: imports, page faults, caches
    times = []
    start = time.perf_counter()
    while len(times) < min_repeats or (time.perf_counter() - start < budget and len(times) < max_repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), len(times)


def worker(quick, sections):
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    import numpy as np
    import ot
    import scipy
    import torch
    from scipy.spatial.distance import jensenshannon
    from scipy.stats import entropy, wasserstein_distance
    sys.path.insert(0, HERE)
    from pot_emd import bench_instance
    import torch_algorithm1

    budget = 0.5 if quick else 2.0
    out = {"versions": {"python": platform.python_version(), "numpy": np.__version__,
                        "scipy": scipy.__version__, "pot": ot.__version__, "torch": torch.__version__},
           "times": {}, "repeats": {}}

    def record(key, f, **kw):
        t, r = median_time(f, budget=budget, **kw)
        out["times"][key], out["repeats"][key] = t, r
        print(f"  {key:40} {t * 1e3:12.4f} ms  (median of {r})", file=sys.stderr, flush=True)

    rng = np.random.default_rng(1)
    for n in JS_SIZES if "divergence" in sections else []:
        p, q = rng.random(n), rng.random(n)
        p, q = p / p.sum(), q / q.sum()
        record(f"scipy_jensenshannon/{n}", lambda: jensenshannon(p, q))
        record(f"scipy_entropy/{n}", lambda: entropy(p, q))

    rng = np.random.default_rng(2014)
    for n in EMD_SIZES if "emd" in sections else []:
        instances = [bench_instance(rng, n) for _ in range(3)]
        cycle = iter(instances * 1000)
        record(f"ot_emd2/{n}", lambda: ot.emd2(*next(cycle), numItermax=10**9),
               min_repeats=3 if n >= 2000 else 5)

    rng = np.random.default_rng(2017)
    for n in W1_SIZES if "w1" in sections else []:
        u, v = rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.0, n)
        record(f"ot_wasserstein_1d/{n}", lambda: ot.wasserstein_1d(u, v))
        record(f"scipy_wasserstein_distance/{n}", lambda: wasserstein_distance(u, v))

    torch.set_num_threads(1)
    torch.manual_seed(0)
    iterations = 200 if quick else 1000
    for dtype in ("float32", "float64") if "algorithm1" in sections else []:
        torch.set_default_dtype(getattr(torch, dtype))
        step = torch_algorithm1.make_step(freeze_d=False)
        samples = torch_algorithm1.time_per_iteration(step, iterations, repeats=7, warm_up=200)
        key = f"torch_algorithm1/{dtype}"
        out["times"][key], out["repeats"][key] = statistics.median(samples), 7 * iterations
        print(f"  {key:40} {out['times'][key] * 1e6:12.1f} us", file=sys.stderr, flush=True)
    out["torch_threads"] = torch.get_num_threads()
    print(json.dumps(out))


# ------------------------------------------------------------ orchestrator side

def default_venv():
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.environ.get("GAN_THEORY_COMPARE_VENV") or os.path.join(cache, "gan-theory-compare")


def has_modules(python):
    probe = "import numpy, scipy, ot, torch, mpmath"
    return subprocess.run([python, "-c", probe], capture_output=True).returncode == 0


def python_with_tools(args):
    given = args.python or os.environ.get("GAN_THEORY_COMPARE_PYTHON")
    if given:
        if not has_modules(given):
            sys.exit(f"{given} lacks one of numpy, scipy, ot (POT), torch, mpmath")
        return given
    venv = args.venv or default_venv()
    python = os.path.join(venv, "bin", "python")
    if os.path.exists(python) and has_modules(python):
        return python
    print(f"creating the venv {venv} (numpy, scipy, POT, mpmath, torch CPU)", file=sys.stderr)
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = [python, "-m", "pip", "install", "--quiet"]
    subprocess.run(pip + ["--upgrade", "pip"], check=True)
    subprocess.run(pip + ["numpy", "scipy", "pot", "mpmath"], check=True)
    # The CPU-only wheel: the default one brings gigabytes of CUDA libraries.
    if subprocess.run(pip + ["torch", "--index-url", "https://download.pytorch.org/whl/cpu"]).returncode != 0:
        subprocess.run(pip + ["torch"], check=True)
    if not has_modules(python):
        sys.exit(f"{python}: the installed packages do not import")
    return python


def target_dir():
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(meta.stdout)["target_directory"]


def run_cargo_bench(bench, pattern, quick):
    cmd = ["cargo", "bench", "--bench", bench, "--", pattern, "--warm-up-time", "1"]
    if quick:
        cmd += ["--measurement-time", "2"]
    print("$", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=sys.stderr)


def run_worker(python, section, quick):
    """The other tools' timings for one section (seconds), from the worker's JSON."""
    cmd = [python, os.path.abspath(__file__), "--worker", section] + (["--quick"] if quick else [])
    print(f"timing the other tools ({section}) with {python}", file=sys.stderr, flush=True)
    # The worker's progress goes to stderr, its JSON to stdout.
    return json.loads(subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout)


def criterion_median(target, bench_id):
    """criterion's median time in seconds for `group/id`, or None if absent."""
    path = os.path.join(target, "criterion", *bench_id.split("/"), "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"] * 1e-9
    except (OSError, KeyError, ValueError):
        return None


def slope(points):
    """Least-squares slope of log t on log n."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def fmt_time(t):
    if t is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


def machine():
    info = {"platform": platform.platform(), "cores": os.cpu_count()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                info["cpu"] = line.split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        info["rustc"] = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return info


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="a Python with numpy, scipy, pot, torch, mpmath (no venv made)")
    parser.add_argument("--venv", help=f"the venv to use or create (default {default_venv()})")
    parser.add_argument("--no-bench", action="store_true", help="reuse criterion's last results")
    parser.add_argument("--quick", action="store_true", help="shorter runs (a smoke test, not for the README)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as markdown")
    parser.add_argument("--only", choices=[name for name, _, _ in SECTIONS], action="append",
                        help="run only this section (repeatable); the others' rows stay empty")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.quick, args.worker.split(","))
        return 0

    python = python_with_tools(args)
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    load_before = load_average()
    theirs = {"times": {}, "repeats": {}, "versions": {}}
    for name, bench, pattern in SECTIONS:
        if args.only and name not in args.only:
            continue
        if not args.no_bench:
            run_cargo_bench(bench, pattern, args.quick)
        part = run_worker(python, name, args.quick)
        theirs["versions"] = part["versions"]
        theirs["times"].update(part["times"])
        theirs["repeats"].update(part["repeats"])
    load_after = load_average()

    target = target_dir()
    rows, failures = [], []
    for label, ours_id, their_key, goal in ROWS:
        ours, other = criterion_median(target, ours_id), theirs["times"].get(their_key)
        ratio = other / ours if ours and other else None
        ok = None if goal is None or ratio is None else ratio >= goal
        # A target without a measurement counts as missed, unless --only left its section out.
        if goal is not None and not ok and (ratio is not None or not args.only):
            failures.append(label)
        rows.append(dict(task=label, ours_id=ours_id, ours=ours, theirs_key=their_key,
                         theirs=other, ratio=ratio, target=goal, ok=ok))

    name = lambda key: THEIR_NAMES[key.split("/")[0]]
    print(f"\ngan-theory against {', '.join(f'{k} {v}' for k, v in theirs['versions'].items())}")
    print(f"{machine().get('cpu', '?')}, {os.cpu_count()} cores; started {started}; "
          f"load average before {load_before}, after {load_after}")
    print("ours: criterion's median; theirs: median of repeated runs; ratio = theirs / ours\n")
    header = f"{'task':44} {'ours':>10} {'theirs':>10} {'ratio':>7} {'target':>7}  pass  other tool"
    print(header)
    print("-" * len(header))
    for r in rows:
        ratio = f"{r['ratio']:.1f}" if r["ratio"] else "-"
        goal = f">= {r['target']:g}" if r["target"] else ""
        ok = {None: "", True: "yes", False: "NO"}[r["ok"]]
        print(f"{r['task']:44} {fmt_time(r['ours']):>10} {fmt_time(r['theirs']):>10} {ratio:>7} {goal:>7}  "
              f"{ok:4}  {name(r['theirs_key'])}")

    fits = {}
    for group, sizes in (("js", JS_SIZES), ("kl", JS_SIZES), ("emd", EMD_SIZES), ("w1_samples", W1_SIZES),
                         ("value_estimator", [64, 1024, 16384, 262144])):
        points = [(n, criterion_median(target, f"{group}/{n}")) for n in sizes]
        points = [(n, t) for n, t in points if t]
        if len(points) >= 2:
            fits[group] = slope(points)
    for key, sizes in (("ot_emd2", EMD_SIZES), ("scipy_jensenshannon", JS_SIZES)):
        points = [(n, theirs["times"].get(f"{key}/{n}")) for n in sizes]
        points = [(n, t) for n, t in points if t]
        if len(points) >= 2:
            fits[key] = slope(points)
    print("\ngrowth: time ~ n^k, least squares over the sizes above (value_estimator: m = 64 .. 262144)")
    for group, k in fits.items():
        print(f"  {group:22} k = {k:.2f}")

    n = 10_000_000
    js, floor_sum, floor_ln = (criterion_median(target, i) for i in
                               (f"js/{n}", f"floor/sum/{n}", f"floor/two_ln/{n}"))
    floors = {}
    if js and floor_sum and floor_ln:
        floors = dict(js_ns=js / n * 1e9, sum_ns=floor_sum / n * 1e9, two_ln_ns=floor_ln / n * 1e9,
                      bandwidth_gb_s=16 * n / floor_sum / 1e9)
        print(f"\nJS at n = 1e7: {floors['js_ns']:.2f} ns per entry; plain sum of p + q over the same arrays "
              f"{floors['sum_ns']:.2f} ns ({floors['bandwidth_gb_s']:.1f} GB/s, the memory floor): "
              f"{js / floor_sum:.1f}x the floor; two vectorised logarithms per entry {floors['two_ln_ns']:.2f} ns "
              f"({js / floor_ln:.2f}x)")

    if args.markdown:
        print("\n| task | gan-theory | other | other / ours | target |")
        print("|---|---|---|---|---|")
        for r in rows:
            ratio = f"{r['ratio']:.1f}" if r["ratio"] else "-"
            goal = (f">= {r['target']:g} ({'met' if r['ok'] else 'MISSED'})") if r["target"] else ""
            print(f"| {r['task']} | {fmt_time(r['ours'])} | {name(r['theirs_key'])} {fmt_time(r['theirs'])} "
                  f"| {ratio} | {goal} |")

    os.makedirs(os.path.join(target, "compare"), exist_ok=True)
    results = dict(started=started, machine=machine(), load_before=load_before, load_after=load_after,
                   versions=theirs["versions"], rows=rows, fits=fits, floors=floors,
                   repeats=theirs["repeats"], failures=failures)
    path = os.path.join(target, "compare", "results.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=1)
    print(f"\nwritten to {path}")
    if failures:
        print("targets missed: " + "; ".join(failures))
        return 1
    print("every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
