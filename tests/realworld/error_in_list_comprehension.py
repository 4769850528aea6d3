weights = [torch.randn(2, 2, requires_grad=True) for _ in range(3)]
total = sum(w.sum() for w in weights)
total.backward()
print(len([w.grad for w in weights]))
norms = [
    w.norm()
    for w in weights + [None]
]
