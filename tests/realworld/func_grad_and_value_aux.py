from torch.func import grad_and_value, jacfwd, jacrev, hessian

torch.manual_seed(97)


def loss_with_aux(w, x, y):
    pred = x @ w
    loss = F.mse_loss(pred, y)
    return loss, {"pred_mean": pred.mean()}


w = torch.randn(3)
x = torch.randn(5, 3)
y = torch.randn(5)
g, (value, aux) = grad_and_value(loss_with_aux, has_aux=True)(w, x, y)
print(g)
print(value, aux["pred_mean"])
f = lambda v: (v.sin() ** 2).sum()
h1 = hessian(f)(w)
h2 = jacfwd(jacrev(f))(w)
print(torch.allclose(h1, h2))
w_leaf = w.clone().requires_grad_()
fd = (hessian(f)(w_leaf) * 2).trace()
fd.backward()
print(w_leaf.grad)
