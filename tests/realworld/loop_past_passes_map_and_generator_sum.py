torch.manual_seed(0)
w = torch.zeros(4, requires_grad=True)
data = torch.randn(80, 4)
target = data @ torch.tensor([0.5, -1.0, 2.0, 0.0])


def step(i):
    pred = data[i] @ w
    loss = (pred - target[i]) ** 2
    loss.backward()
    with torch.no_grad():
        w.sub_(0.05 * w.grad)
        w.grad.zero_()
    return loss.detach()


history = list(map(step, range(80)))
total = sum(step(i) for i in range(30))
print(len(history), round(total.item(), 4))
print(w)
check = (data[:5] @ w - target[:5]).pow(2).mean()
check.backward()
print(w.grad)
