import warnings

torch.manual_seed(60)
w = torch.randn(3, requires_grad=True)
h = w * 2
out = h.sum()
out.backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(h.grad)
    print(w.grad)
    print(h.is_leaf, h.retains_grad)
print(len(caught))
for item in caught:
    print(item.category.__name__, str(item.message)[:45])
