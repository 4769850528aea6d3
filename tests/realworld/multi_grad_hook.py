from torch.autograd.graph import register_multi_grad_hook

torch.manual_seed(12)
a = torch.randn(3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
c = torch.randn(3, requires_grad=True)
seen = []


def all_done(grads):
    seen.append([g is None for g in grads])
    print("multi hook:", [None if g is None else tuple(g.shape) for g in grads])


def any_one(grad):
    print("first ready:", tuple(grad.shape))


handle = register_multi_grad_hook((a, b, c), all_done)
handle_any = register_multi_grad_hook((a, b), any_one, mode="any")
out = (a * b).sum() + c.exp().sum()
out.backward()
loss_ab = (a * b).sum()
loss_ab.backward()
handle.remove()
handle_any.remove()
print(seen)
print(a.grad, c.grad)
