torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 1))
frozen = frozenset(model[0].parameters())
grads_by_param = {}
x = torch.randn(4, 3)
loss = model(x).sum()
loss.backward()
for p in model.parameters():
    grads_by_param[p] = p.grad.norm().item()
    print(p.shape, p in frozen, round(grads_by_param[p], 4))
head_params = list(model[1].parameters())
print(model[1].bias in set(head_params))
first = model[0].weight
print(first in head_params)
