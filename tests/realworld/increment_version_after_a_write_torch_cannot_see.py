# A write torch cannot see (through .data, or through numpy's view of the memory), then
# torch.autograd.graph.increment_version to tell autograd: the graph built before is stale.
torch.manual_seed(29)
w = torch.randn(3, requires_grad=True)
x = torch.randn(3)
loss = (w * x).sum()
print(x._version)
with torch.no_grad():
    x.data.copy_(torch.ones(3))
torch.autograd.graph.increment_version(x)
print(x._version)
try:
    loss.backward()
except RuntimeError as e:
    print("caught:", "modified by an inplace operation" in str(e))
loss2 = (w * x).sum()
loss2.backward()
print(w.grad)

buf = torch.zeros(3)
scale = torch.ones(3)
out = (w * buf).sum() + (w * 2).sum()
buf.numpy()[:] = [1, 2, 3]
torch.autograd.graph.increment_version([buf, scale])
try:
    out.backward()
except RuntimeError:
    print("stale graph detected")
out = (w * buf * scale).sum()
out.backward()
print(w.grad)
