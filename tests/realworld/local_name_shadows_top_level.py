torch.manual_seed(32)

def normalise(x):
    x = x - x.mean(dim=0)
    x = x / (x.std(dim=0) + 1e-5)
    return x

x = torch.randn(5, 3, requires_grad=True)
w = torch.randn(3, 1, requires_grad=True)
out = normalise(x) @ w
loss = out.pow(2).mean()
loss.backward()
print(x.grad.sum(dim=0), w.grad.T)
