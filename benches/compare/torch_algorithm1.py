"""One Algorithm-1 iteration in PyTorch, for side-by-side timing with
`cargo bench --bench mlp -- algorithm1 --warm-up-time 1`. `compare.py`
imports `make_step` and `time_per_iteration` from here; run alone, it prints
the PyTorch side only.

The setting of issue 4 (and of benches/mlp.rs): D and G both 1-32-32-1 with
tanh, m = 64, k = 1, SGD with momentum 0.9 and learning rate 0.05, the
non-saturating generator loss, p_data = N(2, 0.5^2), z ~ U(0, 1), one CPU
thread. Losses in logits through softplus, as the crate computes them:
-ln D(x) = softplus(-l), -ln(1 - D(x)) = softplus(l).

PyTorch's default dtype is float32; the crate computes in float64. Both are
timed here (--dtype float32 / float64 / both, default both).

The generator step is written as a PyTorch user would: loss.backward() also
fills D's parameter gradients (which are then zeroed, not used); --freeze-d
turns requires_grad off for D during G's step, the crate's behaviour.

Environment (CI never runs this):
    python3 -m venv DIR && DIR/bin/pip install numpy scipy pot torch
    DIR/bin/python benches/compare/torch_algorithm1.py
"""

import argparse
import statistics
import time

import torch
import torch.nn.functional as F


def mlp():
    return torch.nn.Sequential(
        torch.nn.Linear(1, 32),
        torch.nn.Tanh(),
        torch.nn.Linear(32, 32),
        torch.nn.Tanh(),
        torch.nn.Linear(32, 1),
    )


def make_step(freeze_d, m=64, k=1, lr=0.05, momentum=0.9):
    d, g = mlp(), mlp()
    opt_d = torch.optim.SGD(d.parameters(), lr=lr, momentum=momentum)
    opt_g = torch.optim.SGD(g.parameters(), lr=lr, momentum=momentum)

    def step():
        for _ in range(k):
            x = torch.randn(m, 1) * 0.5 + 2.0
            z = torch.rand(m, 1)
            fake = g(z).detach()
            loss_d = F.softplus(-d(x)).mean() + F.softplus(d(fake)).mean()
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
        z = torch.rand(m, 1)
        if freeze_d:
            d.requires_grad_(False)
        loss_g = F.softplus(-d(g(z))).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        if freeze_d:
            d.requires_grad_(True)

    return step


def time_per_iteration(step, iterations, repeats, warm_up):
    for _ in range(warm_up):
        step()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(iterations):
            step()
        samples.append((time.perf_counter() - start) / iterations)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--warm-up", type=int, default=500)
    parser.add_argument("--freeze-d", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"freeze D in G's step: {args.freeze_d}")
    for name in dtypes:
        torch.set_default_dtype(getattr(torch, name))
        step = make_step(args.freeze_d)
        samples = time_per_iteration(step, args.iterations, args.repeats, args.warm_up)
        us = [s * 1e6 for s in samples]
        print(f"{name}: median {statistics.median(us):.1f} us per iteration "
              f"(min {min(us):.1f}, max {max(us):.1f}; {args.repeats} x {args.iterations})")


if __name__ == "__main__":
    main()
