import numpy as np

torch.manual_seed(5)
w = torch.randn(3, requires_grad=True)
loss = (w * w).sum()
loss.backward()
print(w.grad.numpy())
print(w.detach().numpy().round(3))
arr = np.asarray([1.0, 2.0, 3.0])
scores = w.numpy() @ arr
print(scores)
