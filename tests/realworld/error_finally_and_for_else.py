import torch

torch.manual_seed(64)
w = torch.randn(2, 2, requires_grad=True)
losses = []
try:
    for i in range(3):
        loss = (w * i).sum()
        losses.append(loss)
    else:
        total = torch.stack(losses).sum()
        total.backward()
finally:
    print("grad so far", w.grad)
    bad = w.grad @ torch.ones(3)
print("unreachable")
