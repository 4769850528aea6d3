# "why is my grad None": the init scaling makes w a non-leaf
torch.manual_seed(3)
w = torch.randn(4, 2, requires_grad=True) * 0.01
b = torch.zeros(2, requires_grad=True).to(torch.float64)
x = torch.randn(5, 4)
out = (x @ w).double() + b
loss = out.pow(2).mean()
loss.backward()
print(w.is_leaf, b.is_leaf, w.grad, b.grad)
print(w.grad_fn.name(), b.grad_fn.name())
