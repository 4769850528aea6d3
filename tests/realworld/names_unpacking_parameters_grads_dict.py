torch.manual_seed(21)
model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
first_w, *other_params = model.parameters()
x = torch.randn(4, 3)
loss = model(x).pow(2).mean()
loss.backward()
grads = {name: p.grad for name, p in model.named_parameters()}
norms = [g.norm() for g in grads.values()]
for i, (name, p) in enumerate(model.named_parameters()):
    print(i, name, tuple(p.shape), f"{p.grad.abs().max():.5f}")
with torch.no_grad():
    other_params[0] -= 0.1 * other_params[0].grad
    first_w.mul_(0.5)
(head_w, head_b) = model[2].weight, model[2].bias
snapshot = [t.detach().clone() for t in (first_w, head_w)]
total_norm = torch.stack(norms).norm()
print(total_norm, snapshot[1], head_b)
