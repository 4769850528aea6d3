import torch

torch.manual_seed(3)
w = torch.randn(3, requires_grad=True)
xs = torch.randn(4, 3)
running_loss = 0
for x in xs:
    out = torch.sigmoid(x @ w)
    running_loss += (out - 1) ** 2   # oops: keeps the graph of every step
    running_loss.backward()
    print(w.grad)
