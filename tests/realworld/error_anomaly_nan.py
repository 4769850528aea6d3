x = torch.tensor([0.0, 1.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = x.sqrt()
    z = (y * 0).sum()
    print(z.item())
    w = torch.where(x > 0, x.log(), torch.zeros_like(x))
    w.sum().backward()
