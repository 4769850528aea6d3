import numpy as np

x = torch.linspace(0, 1, 5, requires_grad=True)
y = torch.from_numpy(np.sin(x.detach().numpy()))
y.requires_grad_()
loss = (y ** 2).sum()
loss.backward()
print(x.grad)
print(y.grad)
