from torch.autograd.graph import disable_saved_tensors_hooks, saved_tensors_hooks

torch.manual_seed(108)
packed = []


def pack(t):
    packed.append(tuple(t.shape))
    return t


def unpack(t):
    return t


a = torch.randn(3, requires_grad=True)
with disable_saved_tensors_hooks("no hooks allowed in this block"):
    b = a.sin() * a
    try:
        with saved_tensors_hooks(pack, unpack):
            c = a.exp()
    except RuntimeError as err:
        print("refused:", err)
with saved_tensors_hooks(pack, unpack):
    d = a.cos() * b
print(packed)
(d.sum() + b.sum()).backward()
print(a.grad)
print(d)
