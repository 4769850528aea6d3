import copy

torch.manual_seed(5)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
shallow = copy.copy(model)
deep = copy.deepcopy(model)
print("shallow shares weight:", shallow[0].weight is model[0].weight)
print("deep shares weight:", deep[0].weight is model[0].weight)

inputs = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
loss = shallow(inputs).sum() + deep(inputs).mean()
loss.backward()
print(model[0].weight.grad)
print(deep[0].weight.grad)

opt = torch.optim.SGD(model.parameters(), lr=0.1)
opt.step()
print(torch.equal(shallow[2].bias, model[2].bias), torch.equal(deep[2].bias, model[2].bias))
print(shallow[2].bias, deep[2].bias)
