# Flash-attention-style attention by key blocks with a running max and running sum (online softmax), checked against softmax
import torch

torch.manual_seed(37)
q = torch.randn(4, 8, requires_grad=True)
k = torch.randn(10, 8, requires_grad=True)
v = torch.randn(10, 8, requires_grad=True)
scale = 8 ** -0.5
block = 4
m = torch.full((4, 1), float("-inf"))
l = torch.zeros(4, 1)
acc = torch.zeros(4, 8)
for start in range(0, k.shape[0], block):
    kb, vb = k[start:start + block], v[start:start + block]
    s = (q @ kb.T) * scale
    m_new = torch.maximum(m, s.max(dim=1, keepdim=True).values)
    p = torch.exp(s - m_new)
    correction = torch.exp(m - m_new)
    l = l * correction + p.sum(dim=1, keepdim=True)
    acc = acc * correction + p @ vb
    m = m_new
out = acc / l
ref = torch.softmax((q @ k.T) * scale, dim=1) @ v
print(torch.allclose(out, ref, atol=1e-6))
out.sum().backward()
print(q.grad[0], v.grad[-1])
