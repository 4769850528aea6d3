import numpy as np

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
arr = w.numpy(force=True)
print(type(arr).__name__, arr.dtype, arr.flags.writeable)
half = torch.from_numpy(np.linspace(0, 1, 3, dtype=np.float16))
ints = torch.as_tensor(np.arange(3, dtype=np.int32))
mixed = w * half + ints
print(mixed.dtype, half.dtype, ints.dtype)
loss = (mixed * torch.from_numpy(np.array([1.0, 2.0, 3.0]))).sum()
print(loss.dtype)
loss.backward()
print(w.grad, np.asarray(w.grad).sum())
back = torch.tensor(np.float64(2.5)) * w.detach()
print(back.dtype, back)
