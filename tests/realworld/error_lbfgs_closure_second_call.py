torch.manual_seed(167)
x = torch.randn(10, 2)
y = x @ torch.tensor([[1.5], [-0.5]])
w = torch.zeros(2, 1, requires_grad=True)
opt = torch.optim.LBFGS([w], lr=0.5, max_iter=5)
calls = 0


def closure():
    global calls
    calls += 1
    opt.zero_grad()
    pred = x @ w
    if calls == 4:
        pred = pred.view(5, -1, 3)
    loss = F.mse_loss(pred, y)
    loss.backward()
    return loss


opt.step(closure)
print(calls, w)
