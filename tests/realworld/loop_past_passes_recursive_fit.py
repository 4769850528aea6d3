torch.manual_seed(0)
theta = torch.tensor([3.0, -2.0], requires_grad=True)
target = torch.tensor([1.0, -0.5])


def fit(steps, lr=0.05):
    loss = ((theta - target) ** 2).sum()
    loss.backward()
    with torch.no_grad():
        theta.sub_(lr * theta.grad)
    theta.grad = None
    if steps == 0:
        return loss
    return fit(steps - 1, lr)


last = fit(104)
print(round(last.item(), 6), theta)
