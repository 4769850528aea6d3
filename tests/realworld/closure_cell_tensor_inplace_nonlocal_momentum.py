# An optimizer written as a closure: the momentum buffer lives in a cell, rebound with nonlocal
import torch


def make_sgd(params, lr=0.1, beta=0.9):
    velocity = [torch.zeros_like(p) for p in params]
    steps = 0

    def step():
        nonlocal steps, velocity
        steps += 1
        with torch.no_grad():
            velocity = [beta * v + p.grad for v, p in zip(velocity, params)]
            for p, v in zip(params, velocity):
                p -= lr * v
        return steps

    def state():
        return velocity

    return step, state


torch.manual_seed(23)
w = torch.randn(2, requires_grad=True)
step, state = make_sgd([w])
for _ in range(3):
    loss = (w - torch.tensor([1.0, -1.0])).pow(2).sum()
    w.grad = None
    loss.backward()
    n = step()
vel = state()[0]
print(n, w, vel)
