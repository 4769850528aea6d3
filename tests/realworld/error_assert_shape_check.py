def check(t, shape):
    assert t.shape == shape, f"expected {shape}, got {tuple(t.shape)}"
    return t


torch.manual_seed(48)
w = torch.randn(3, 2, requires_grad=True)
h = check(torch.randn(4, 3) @ w, (4, 2))
h.sum().backward()
print(w.grad.sum().item() != 0)
out = check(h.t(), (4, 2))
