torch.manual_seed(26)
x = torch.randn(3, requires_grad=True)
h = x * 2
h2 = h.detach().requires_grad_(False)
print(h2.requires_grad, h2.is_leaf)
print(x.grad_fn, len(h.grad_fn.next_functions))
mixed = x * torch.ones(3)
print([type(f).__name__ if f is not None else None for f, _ in mixed.grad_fn.next_functions])
h.retain_grad()
(h ** 2).sum().backward()
print(h.grad, x.grad)
late = x * 5
late.sum().backward()
late.retain_grad()
print(late.grad)
try:
    h.requires_grad_(False)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:60])
