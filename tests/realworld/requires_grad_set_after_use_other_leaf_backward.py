w = torch.randn(3)
b = torch.zeros(1, requires_grad=True)
x = torch.ones(3)
y = (w * x).sum() + b
w.requires_grad_()
y.backward()
print(w.grad, b.grad)
