from torch.func import functional_call, grad, jacfwd, hessian
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 1))
params = {k: v.detach() for k, v in net.named_parameters()}
buffers = {k: v for k, v in net.named_buffers()}
x = torch.randn(5, 3)
net.eval()
def loss_fn(p, x):
    return functional_call(net, (p, buffers), (x,)).pow(2).mean()
g = grad(loss_fn)(params, x)
print(sorted(g), g["3.weight"].shape)
print(buffers["1.running_mean"])
net.eval()
def f(inp):
    return functional_call(net, {**params, **buffers}, (inp.unsqueeze(0),)).squeeze()
J = jacfwd(f)(x[0])
H = hessian(f)(x[0])
print(J.shape, H.shape)
out = functional_call(net, params, (x,), strict=False)
print(out.shape)
