torch.manual_seed(22)
w = torch.randn(3, requires_grad=True)
with torch.no_grad():
    w += 1
print(w.is_leaf, w.requires_grad)
w.grad = torch.zeros(3)
w.grad.zero_()
b = torch.zeros(2, requires_grad=True)
print(b.grad)
w -= 0.1 * w
