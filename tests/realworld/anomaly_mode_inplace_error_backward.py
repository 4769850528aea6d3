import torch

torch.manual_seed(77)
a = torch.randn(4, requires_grad=True)
with torch.autograd.detect_anomaly():
    b = a.sigmoid()
    c = b * 3
    b.mul_(2)
    print("forward done", c.shape)
    try:
        c.sum().backward()
    except RuntimeError as err:
        print("caught:", str(err).split(".")[0])
d = a.exp()
d.add_(1)
d.sum().backward()
print(a.grad)
