import torch

torch.manual_seed(2)
w = torch.randn(3, requires_grad=True)
target = torch.tensor([0.5, -0.5, 1.0])
history = []
for epoch in range(40):
    for step in range(5):
        loss = (w - target).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.006 * w.grad
            w.grad.zero_()
        if loss.item() < 0.05:
            break
    else:
        history.append(round(loss.item(), 4))
        continue
    print("converged in epoch", epoch)
    break
print(len(history), loss, w)
