from torch.func import functional_call, hessian, grad

torch.manual_seed(5)
model = nn.Linear(3, 1)
X = torch.randn(20, 3, dtype=torch.float64)
true_w = torch.tensor([[1.5, -2.0, 0.5]], dtype=torch.float64)
y = X @ true_w.T + 0.3
model = model.double()


def loss_fn(params):
    pred = functional_call(model, params, (X,))
    return ((pred - y) ** 2).mean()


params = {k: v.detach() for k, v in model.named_parameters()}
H = hessian(loss_fn)(params)
g = grad(loss_fn)(params)
print("H blocks:", {k: {kk: tuple(vv.shape) for kk, vv in v.items()} for k, v in H.items()})
Hw = H["weight"]["weight"].reshape(3, 3)
gw = g["weight"].reshape(3)
step = torch.linalg.solve(Hw, gw)
print("newton step:", step)
with torch.no_grad():
    model.weight -= step.reshape(1, 3)
final = loss_fn({k: v.detach() for k, v in model.named_parameters()})
print(f"loss after one newton step on w: {final:.6f}")
loss = ((model(X) - y) ** 2).mean()
loss.backward()
print(model.weight.grad, model.bias.grad)
