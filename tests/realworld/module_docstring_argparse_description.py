"""Fit y = a*x + b with gradient descent.

Usage: python fit.py [--lr LR] [--steps N]
"""
import argparse
import inspect

import torch

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--steps", type=int, default=50)
args = parser.parse_args([])
print(parser.description)
print(__doc__.strip().splitlines()[-1])


def model(x, a, b):
    """A line."""
    return a * x + b


print(inspect.getsource(model).splitlines()[0], "|", model.__doc__)
print(inspect.signature(model))
torch.manual_seed(0)
x = torch.linspace(0, 1, 20)
y = 3 * x - 1 + 0.05 * torch.randn(20)
a = torch.zeros((), requires_grad=True)
b = torch.zeros((), requires_grad=True)
for step in range(args.steps):
    loss = ((model(x, a, b) - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        a -= args.lr * a.grad
        b -= args.lr * b.grad
    a.grad.zero_()
    b.grad.zero_()
print(f"a={a.item():.3f} b={b.item():.3f} loss={loss.item():.5f}")
print(__name__, __spec__, __package__)
