import torch

torch.manual_seed(3)
w = torch.randn(2, 2, requires_grad=True)
x = torch.randn(2)
y = (w @ x).tanh().sum()
print(hasattr(y, "backward"), hasattr(y, "backwards"))
y.backwards()
