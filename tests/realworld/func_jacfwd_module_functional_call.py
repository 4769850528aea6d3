from torch.func import functional_call, jacfwd, jacrev, vmap

torch.manual_seed(76)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
params = {k: v.detach() for k, v in net.named_parameters()}
x = torch.randn(3)


def f(inp):
    return functional_call(net, params, (inp,))


J_fwd = jacfwd(f)(x)
J_rev = jacrev(f)(x)
print(J_fwd.shape, torch.allclose(J_fwd, J_rev, atol=1e-6))
batch = torch.randn(5, 3)
J_batch = vmap(jacrev(f))(batch)
print(J_batch.shape)
param_jac = jacrev(lambda p: functional_call(net, p, (x,)))(params)
print(sorted(param_jac.keys()))
print(param_jac["2.bias"])
