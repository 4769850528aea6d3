# In-place ops on views of non-leaf tensors inside a forward: a slice scaled with mul_, a diagonal incremented with
# add_, a transposed view clamped in place; autograd rebases the views (CopySlices / AsStridedBackward).
torch.manual_seed(0)
w = torch.randn(4, 4, requires_grad=True)
v = torch.randn(4, requires_grad=True)
h = w * 2
h[:, :2].mul_(v[:2])
h.diagonal().add_(v)
h.t()[0].clamp_(min=-0.5)
row = h[1]
row.relu_()
out = (h @ v).tanh().sum()
out.backward()
print(h)
print(h.grad_fn.name(), row.grad_fn.name(), h._version)
print(w.grad)
print(v.grad)
