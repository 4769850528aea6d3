import numpy as np
arr = np.arange(4, dtype=np.float32)
shared = torch.from_numpy(arr)
w = torch.ones(4, requires_grad=True)
y = (shared * w).sum()
arr[0] = 100.0
y.backward()
print(shared, w.grad, y)
back = w.detach().numpy()
back[1] = -5
print(w)
