from torch.autograd.graph import get_gradient_edge

torch.manual_seed(337)
x = torch.randn(3, requires_grad=True)
a = x.sin()
edge = get_gradient_edge(a)
a.mul_(2)
b = a.exp().sum()
(grad_a,) = torch.autograd.grad(b, edge, retain_graph=True)
print(grad_a)
b.backward()
print(x.grad)
