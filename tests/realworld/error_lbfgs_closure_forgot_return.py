torch.manual_seed(2)
w = torch.randn(3, requires_grad=True)
opt = torch.optim.LBFGS([w], lr=0.1)
target = torch.tensor([1.0, -1.0, 0.5])


def closure():
    opt.zero_grad()
    loss = ((w - target) ** 2).sum()
    loss.backward()


opt.step(closure)
print(w)
