# Zero-copy conversions people mix up: torch.from_dlpack of a NumPy array, torch.asarray (shares memory) and
# torch.tensor (copies), then writes through NumPy showing which tensors changed; a gradient through the copies.
import numpy as np

arr = np.arange(6, dtype=np.float32).reshape(2, 3)
shared = torch.from_dlpack(arr)
asarr = torch.asarray(arr)
copied = torch.tensor(arr)
arr[0, 0] = 100.0
print(shared[0, 0].item(), asarr[0, 0].item(), copied[0, 0].item())
w = copied.clone().requires_grad_()
y = (w * torch.asarray([1.0, 2.0, 3.0])).sum()
y.backward()
back = w.detach().numpy()
back[1, 1] = -1.0
print(w)
print(w.grad, np.shares_memory(back, w.detach().numpy()))
