torch.manual_seed(7)
w = torch.randn(3, requires_grad=True)
x = torch.randn(8, 3)
target = torch.randn(8)
pred = x @ w
mse = ((pred - target) ** 2).mean()
reg = w.norm().item()
loss = mse + 0.1 * reg
loss.backward()
print(loss.item())
print(w.grad)
scale = torch.tensor(pred.mean().item())
scaled = (x @ w) / scale
print(scale.requires_grad, type(scaled.grad_fn).__name__)
w.grad = None
scaled.sum().backward()
print(w.grad)
