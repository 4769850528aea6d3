torch.manual_seed(78)
x = torch.randn(3, requires_grad=True)
W = torch.randn(2, 3)
y = torch.tanh(W @ x)
rows = []
for i in range(y.shape[0]):
    (g,) = torch.autograd.grad(y[i], x, retain_graph=True)
    rows.append(g)
J = torch.stack(rows)
print(J)
J_ref = torch.autograd.functional.jacobian(lambda v: torch.tanh(W @ v), x)
print(torch.allclose(J, J_ref))
onehot = torch.eye(2)
rows2 = [torch.autograd.grad(y, x, grad_outputs=e, retain_graph=True)[0] for e in onehot]
print(torch.stack(rows2).sub(J).abs().max())
y.sum().backward()
print(x.grad)
