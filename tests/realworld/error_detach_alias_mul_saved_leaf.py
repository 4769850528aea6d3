w = torch.tensor([1.0, 2.0], requires_grad=True)
y = w * w
w.detach().mul_(2)
y.sum().backward()
