torch.manual_seed(31)
w = torch.randn(4, 2, requires_grad=True)
x = torch.randn(8, 4)
target = torch.randn(8, 2)
opt = torch.optim.SGD([w], lr=0.05)


def guard(grad):
    if grad.abs().max() > 1.0:
        raise RuntimeError(f"gradient too large: {grad.abs().max().item():.2f}")


pred = x @ w
pred.register_hook(guard)
loss = ((pred - target) ** 2).sum()
try:
    loss.backward()
except RuntimeError as e:
    print("skipped step:", e)

# a hook that would send the gradient on in half precision: torch rejects the changed dtype and the pass raises
hidden = torch.tanh(x @ w)
hidden.register_hook(lambda g: g.half())
try:
    hidden.sum().backward()
except RuntimeError as e:
    print("skipped step:", str(e)[:50])

for step in range(3):
    opt.zero_grad()
    out = x @ w
    step_loss = ((out - target) ** 2).mean()
    step_loss.backward()
    opt.step()
    print(step, round(step_loss.item(), 4))
print(w.grad)
