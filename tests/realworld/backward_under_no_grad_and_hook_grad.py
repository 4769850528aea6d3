torch.manual_seed(196)
a = torch.randn(3, requires_grad=True)
b = a.sigmoid() * 3
total = b.sum()
with torch.no_grad():
    total.backward()
    print(torch.is_grad_enabled(), a.grad)
seen = []


def hook(grad):
    seen.append(grad.clone())
    return grad * 0.5


c = (a ** 2).tanh()
c_total = c.sum()
a.register_hook(hook)
with torch.inference_mode():
    c_total.backward()
print(a.grad, seen[0])
