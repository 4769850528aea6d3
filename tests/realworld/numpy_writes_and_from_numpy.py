import numpy as np

arr = np.arange(6, dtype=np.float32).reshape(2, 3)
shared = torch.from_numpy(arr)
w = torch.ones(3, requires_grad=True)
before = (shared @ w).sum()
arr[0, 0] = 10.0
after = (shared @ w).sum()
after.backward()
print(before.item(), after.item(), shared[0, 0].item())
print(w.grad, w.detach().numpy().sum())
