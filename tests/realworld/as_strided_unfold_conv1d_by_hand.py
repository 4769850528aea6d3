import torch
import torch.nn.functional as F

torch.manual_seed(7)


def conv1d_naive(x, w, stride=1):
    # x: (N, C, L), w: (O, C, K)
    N, C, L = x.shape
    O, _, K = w.shape
    L_out = (L - K) // stride + 1
    sN, sC, sL = x.stride()
    windows = x.as_strided((N, C, L_out, K), (sN, sC, sL * stride, sL))
    return torch.einsum("nclk,ock->nol", windows, w)


x = torch.randn(2, 3, 9, requires_grad=True)
w = torch.randn(4, 3, 3, requires_grad=True)

ours = conv1d_naive(x, w, stride=2)
ref = F.conv1d(x, w, stride=2)
print("max diff:", (ours - ref).abs().max().item())

ours.pow(2).sum().backward()
gx, gw = x.grad.clone(), w.grad.clone()
x.grad = None
w.grad = None
ref.pow(2).sum().backward()
print("grad x match:", torch.allclose(gx, x.grad, atol=1e-5))
print("grad w match:", torch.allclose(gw, w.grad, atol=1e-5))
patches = x.detach().unfold(2, 3, 2)
print(patches.shape, patches.is_contiguous())
