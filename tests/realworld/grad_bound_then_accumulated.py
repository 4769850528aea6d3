torch.manual_seed(127)
w = torch.randn(3, requires_grad=True)
x = torch.randn(3)
(w * x).sum().backward()
g = w.grad
print(g)
(w * x * 2).sum().backward()
print(g is w.grad, g)
snapshot = w.grad.clone()
(w ** 2).sum().backward()
grads = [w.grad]
print(grads[0] - snapshot)
