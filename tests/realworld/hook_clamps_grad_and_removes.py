torch.manual_seed(104)
model = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 1))
handles = [p.register_hook(lambda g: g.clamp(-0.1, 0.1)) for p in model.parameters()]
x = torch.randn(5, 3) * 4
loss = model(x).pow(2).sum()
loss.backward()
print(model[0].weight.grad.abs().max())
for h in handles:
    h.remove()
model.zero_grad(set_to_none=True)
loss2 = model(x).pow(2).sum()
loss2.backward()
print(model[2].bias.grad)
