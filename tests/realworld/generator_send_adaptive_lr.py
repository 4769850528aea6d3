# A coroutine-style generator that receives losses with send() and yields the next learning rate
import torch


def lr_controller(lr):
    best = float("inf")
    while True:
        loss = yield lr
        if loss < best:
            best = loss
            lr *= 1.1
        else:
            lr *= 0.5


torch.manual_seed(24)
w = torch.tensor([3.0, -2.0], requires_grad=True)
ctrl = lr_controller(0.2)
lr = next(ctrl)
for i in range(5):
    loss = (w ** 2).sum() + torch.sin(3 * w).sum()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
    w.grad.zero_()
    lr = ctrl.send(loss.item())
    print(i, round(loss.item(), 4), round(lr, 4))
ctrl.close()
print(w)
