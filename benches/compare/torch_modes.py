"""One iteration of `gan-theory modes`' default protocol, ours and PyTorch's,
side by side in one run: `cargo bench --bench mlp -- modes/step` first, then
the same iteration in PyTorch on one thread in float64 and float32, then the
ratios (PyTorch's time over ours: above 1 means we are faster).

The protocol (claim G1, BENCHMARKS.md): the non-saturating GAN on the 2-D ring
(8 Gaussians on the unit circle, sd 0.01), G [2, 64, 64, 64, 2] and D
[2, 64, 64, 64, 1] with ReLU, minibatch m = 128, k = 1, Adam(lr 1e-3,
betas (0.5, 0.999), eps 1e-8) on both networks, z ~ N(0, I_2). Losses in
logits through softplus, as the crate computes them. D is frozen during G's
step (requires_grad off), as the crate does.

    /work/venv-anchors/bin/python benches/compare/torch_modes.py [--no-bench]

(any Python with torch; --no-bench reads criterion's last result instead of
running the bench). CI never runs it.
"""

import argparse
import json
import math
import os
import statistics
import subprocess

import torch
import torch.nn.functional as F

from torch_algorithm1 import time_per_iteration

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def mlp(out):
    return torch.nn.Sequential(
        torch.nn.Linear(2, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, out),
    )


def make_step(m=128):
    d, g = mlp(1), mlp(2)
    opt_d = torch.optim.Adam(d.parameters(), lr=1e-3, betas=(0.5, 0.999), eps=1e-8)
    opt_g = torch.optim.Adam(g.parameters(), lr=1e-3, betas=(0.5, 0.999), eps=1e-8)
    angles = torch.arange(8) * (2 * math.pi / 8)
    centres = torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)

    def data():
        return centres[torch.randint(0, 8, (m,))] + 0.01 * torch.randn(m, 2)

    def step():
        x = data()
        fake = g(torch.randn(m, 2)).detach()
        loss_d = F.softplus(-d(x)).mean() + F.softplus(d(fake)).mean()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        d.requires_grad_(False)
        loss_g = F.softplus(-d(g(torch.randn(m, 2)))).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        d.requires_grad_(True)

    return step


def ours(run_bench, target):
    if run_bench:
        subprocess.run(
            ["cargo", "bench", "--bench", "mlp", "--", "modes/step", "--warm-up-time", "1"],
            cwd=ROOT, check=True, env=dict(os.environ, CARGO_TARGET_DIR=target),
        )
    path = os.path.join(target, "criterion", "modes", "step", "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"] * 1e-3  # ns -> us


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--warm-up", type=int, default=100)
    parser.add_argument("--no-bench", action="store_true")
    args = parser.parse_args()
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    ours_us = ours(not args.no_bench, target)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"gan-theory (float64): median {ours_us:.1f} us per iteration (criterion)")
    for name in ["float64", "float32"]:
        torch.set_default_dtype(getattr(torch, name))
        samples = time_per_iteration(make_step(), args.iterations, args.repeats, args.warm_up)
        us = statistics.median(samples) * 1e6
        print(f"torch {name}: median {us:.1f} us per iteration "
              f"(min {min(samples) * 1e6:.1f}, max {max(samples) * 1e6:.1f}; "
              f"{args.repeats} x {args.iterations}); torch / ours = {us / ours_us:.2f}")


if __name__ == "__main__":
    main()
