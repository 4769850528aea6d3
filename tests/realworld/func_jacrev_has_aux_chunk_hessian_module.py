from torch.func import functional_call, jacrev, hessian, grad
torch.manual_seed(9)
net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
params = {k: v.detach() for k, v in net.named_parameters()}
x = torch.randn(4, 2)


def loss_fn(p, x):
    out = functional_call(net, p, (x,))
    loss = out.pow(2).mean()
    return loss, out


grads, out = grad(loss_fn, has_aux=True)(params, x)
print({k: tuple(v.shape) for k, v in grads.items()})
J, aux = jacrev(lambda inp: loss_fn(params, inp), has_aux=True, chunk_size=2)(x)
print(J.shape, aux.shape)
H = hessian(lambda inp: loss_fn(params, inp)[0])(x[:1])
print(H.shape)
g_w = grads["0.weight"]
ref = net(x).pow(2).mean()
ref.backward()
print(torch.allclose(net[0].weight.grad, g_w, atol=1e-6))
