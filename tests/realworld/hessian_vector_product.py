torch.manual_seed(9)
w = torch.randn(4, requires_grad=True)
X = torch.randn(6, 4)
y = torch.randn(6)

def loss_fn(w):
    return F.mse_loss(X @ w, y) + 0.1 * w.pow(4).sum()

loss = loss_fn(w)
g, = torch.autograd.grad(loss, w, create_graph=True)
v = torch.ones(4)
Hv, = torch.autograd.grad(g @ v, w, retain_graph=True)
print(Hv)
gnorm = g.pow(2).sum()
gnorm.backward()
print(w.grad)
