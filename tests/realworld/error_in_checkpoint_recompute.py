from torch.utils.checkpoint import checkpoint

calls = {"n": 0}


def block(x, w):
    calls["n"] += 1
    if calls["n"] > 1:
        x = x.view(-1, 5)
    return torch.tanh(x @ w)


torch.manual_seed(263)
w = torch.randn(4, 4, requires_grad=True)
x = torch.randn(3, 4)
out = checkpoint(block, x, w, use_reentrant=False)
print(out.shape)
out.sum().backward()
print(w.grad)
