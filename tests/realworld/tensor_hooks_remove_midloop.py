import torch

torch.manual_seed(10)
a = torch.randn(4, requires_grad=True)
b = torch.randn(4, requires_grad=True)
seen = []
handle = None
for step in range(3):
    c = a * b
    d = c.exp()
    if step == 0:
        handle = a.register_hook(lambda g: g * 10)
    c.register_hook(lambda g: seen.append(g.clone()))
    d.retain_grad()
    d.mean().backward()
    print(step, a.grad, d.grad)
    if step == 1:
        handle.remove()
    a.grad = None
    b.grad.zero_()
print(len(seen), seen[-1])
