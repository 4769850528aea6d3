packed, unpacked = [], []


def pack(t):
    packed.append(tuple(t.shape))
    return t.clone()


def unpack(t):
    unpacked.append(tuple(t.shape))
    return t


torch.manual_seed(55)
w = torch.randn(3, 3, requires_grad=True)
x = torch.randn(2, 3)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    h = torch.tanh(x @ w)
    out = (h * h).sum()
grads_seen = []
handle = torch.autograd.graph.register_multi_grad_hook(
    (w, h), lambda grads: grads_seen.append([g is not None for g in grads])
)
out.backward()
handle.remove()
print(len(packed), len(unpacked), sorted(packed) == sorted(unpacked))
print(grads_seen)
print(w.grad)
