import torch

x = torch.arange(12.0).reshape(3, 4).requires_grad_()
v = x.view(4, 3)
t = x.t()
c = t.contiguous()
print(v.data_ptr() == x.data_ptr(), t.is_contiguous(), c.data_ptr() == x.data_ptr())
print(x.untyped_storage().data_ptr() == v.untyped_storage().data_ptr())
print(x.stride(), t.stride(), c.stride(), v._base is x)
(v * 2).sum().backward()
print(x.grad)
d = x.detach()
print(d.data_ptr() == x.data_ptr(), d._version)
