import gc
import sys

torch.manual_seed(31)
x = torch.randn(4, requires_grad=True)
y = x * 2
print(y._version)
z = y.sigmoid()
y.mul_(3)
print(y._version, z._version)
v = y[:2]
v.add_(1)
print(y._version, v._base is y, v._is_view())
print(sys.getrefcount(x) > 1, len(gc.get_referrers(x)) >= 1)
try:
    z.sum().backward(retain_graph=True)
except RuntimeError as e:
    print("z ok", str(e)[:40])
w = y.exp()
w.sum().backward()
print(x.grad)
print(x.grad.data_ptr() == x.grad.data_ptr(), y.untyped_storage().nbytes())
