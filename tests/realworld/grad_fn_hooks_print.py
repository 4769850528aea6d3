torch.manual_seed(33)
a = torch.randn(3, requires_grad=True)
b = a.exp()
c = (b * a).sum()


def pre(grad_outputs):
    print("pre", [tuple(g.shape) for g in grad_outputs])


def post(grad_inputs, grad_outputs):
    print("post", [None if g is None else round(g.sum().item(), 4) for g in grad_inputs])


b.grad_fn.register_prehook(pre)
b.grad_fn.register_hook(post)
c.grad_fn.register_hook(lambda gi, go: print("sum node", go[0]))
c.backward()
print(a.grad)
