torch.manual_seed(200)
x = torch.randn(3, requires_grad=True)
y = x.exp()
z = (y * 2).sum()


def triple(grads):
    grads[0].mul_(3)


y.grad_fn.register_prehook(triple)
x.register_hook(lambda g: g.clamp_(max=5.0))
z.backward()
print(x.grad)
lin = nn.Linear(2, 2)


def scale_inputs(module, grad_input, grad_output):
    for g in grad_input:
        if g is not None:
            g.mul_(0.5)


lin.register_full_backward_hook(scale_inputs)
inp = torch.randn(4, 2, requires_grad=True)
out = lin(inp).pow(2).sum()
out.backward()
print(inp.grad, lin.weight.grad)
