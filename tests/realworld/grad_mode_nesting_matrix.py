import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
results = {}
with torch.no_grad():
    a = x * 2
    with torch.enable_grad():
        b = x * 3
        with torch.set_grad_enabled(False):
            c = x * 4
            with torch.inference_mode(mode=False):
                d = x * 5
        e = b * 2
    f = b + 1
torch.set_grad_enabled(False)
g = x**2
torch.set_grad_enabled(True)
h = x**2


@torch.no_grad()
def predict(t):
    with torch.enable_grad():
        inner = t.exp()
    return t.sin(), inner


s, inner = predict(x)
for name, t in [
    ("a", a),
    ("b", b),
    ("c", c),
    ("d", d),
    ("e", e),
    ("f", f),
    ("g", g),
    ("h", h),
    ("s", s),
    ("inner", inner),
]:
    print(name, t.requires_grad, type(t.grad_fn).__name__ if t.grad_fn else None)
(e.sum() + h.sum() + inner.sum()).backward()
print(x.grad)
