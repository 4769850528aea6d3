# Empirical neural tangent kernel from per-example parameter Jacobians (torch.func.jacrev + vmap + einsum)
import torch
import torch.nn as nn
from torch.func import functional_call, jacrev, vmap

torch.manual_seed(42)
net = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 2))
params = {k: v.detach() for k, v in net.named_parameters()}


def f(p, x):
    return functional_call(net, p, (x.unsqueeze(0),)).squeeze(0)


x1, x2 = torch.randn(4, 3), torch.randn(5, 3)
j1 = vmap(jacrev(f), (None, 0))(params, x1)
j2 = vmap(jacrev(f), (None, 0))(params, x2)
ntk = sum(torch.einsum("Naf,Mbf->NMab", j1[k].flatten(2), j2[k].flatten(2)) for k in j1)
print(ntk.shape, ntk.diagonal(dim1=-2, dim2=-1).sum(-1)[0])
trace_kernel = torch.einsum("NMaa->NM", ntk)
eig = torch.linalg.eigvalsh(trace_kernel[:4, :4] @ trace_kernel[:4, :4].T)
print(eig)
