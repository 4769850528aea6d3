import torch

class DivergenceError(RuntimeError):
    pass

def check(loss, step):
    if not torch.isfinite(loss):
        raise DivergenceError(f"loss became {loss.item()} at step {step}")

def step_fn(w, step):
    loss = (w.exp() * 30).sum()
    check(loss, step)
    return loss

w = torch.tensor([1.0, 2.0], requires_grad=True)
for step in range(5):
    loss = step_fn(w, step)
    loss.backward()
    with torch.no_grad():
        w += w.grad
    w.grad = None
    print(step, loss.item())
