from torch.func import functional_call, jacfwd, jacrev

torch.manual_seed(349)
net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
params = {k: v.detach() for k, v in net.named_parameters()}
x = torch.randn(5, 2)


def predict(p, inp):
    return functional_call(net, p, (inp,)).squeeze(-1)


jac_fwd = jacfwd(predict)(params, x)
jac_rev = jacrev(predict)(params, x)
print({k: tuple(v.shape) for k, v in jac_fwd.items()})
print(all(torch.allclose(jac_fwd[k], jac_rev[k], atol=1e-6) for k in params))
ntk = sum((jac_fwd[k].flatten(1) @ jac_fwd[k].flatten(1).T) for k in params)
print(ntk.shape, torch.allclose(ntk, ntk.T))
out = net(x).sum()
out.backward()
print(net[2].bias.grad)
