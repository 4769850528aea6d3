normal_repr = torch.Tensor.__repr__
torch.Tensor.__repr__ = lambda self: f"{tuple(self.shape)} {normal_repr(self)}"
try:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).sum()
    y.backward()
    print(x)
    print(x.grad)
finally:
    torch.Tensor.__repr__ = normal_repr
