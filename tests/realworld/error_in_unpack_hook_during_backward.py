from torch.autograd.graph import saved_tensors_hooks

torch.manual_seed(152)
store = {}


def pack(t):
    key = len(store)
    store[key] = t.clone()
    return key


def unpack(key):
    print("unpack", key)
    return store.pop(key)


x = torch.randn(3, requires_grad=True)
with saved_tensors_hooks(pack, unpack):
    y = x.sin() * x.cos()
print(len(store), y)
loss = y.sum()
loss.backward(retain_graph=True)
print(x.grad, len(store))
loss.backward()
