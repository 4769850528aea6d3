x = torch.randn(3) * 2
x.requires_grad_()
w = torch.tensor(x, requires_grad=True)
loss = (w * 3).sum()
loss.backward()
print(w.grad, x.grad)
