def pack_hook(t):
    print("packing", tuple(t.shape))
    return t
def unpack_hook(t):
    print("unpacking", tuple(t.shape))
    return t
a = torch.ones(5, requires_grad=True)
b = torch.ones(5, requires_grad=True) * 2
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = a * b
y.sum().backward()
print(a.grad)
