import copy

torch.manual_seed(208)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
snapshot = copy.deepcopy(model.state_dict())
live = model.state_dict()
flat = nn.utils.parameters_to_vector(model.parameters())
opt = torch.optim.Adam(model.parameters(), lr=0.1)
x, y = torch.randn(6, 2), torch.randn(6, 1)
loss = F.mse_loss(model(x), y)
loss.backward()
opt.step()
moved = {k: (live[k] - snapshot[k]).abs().max().item() > 0 for k in live}
print(moved)
print(torch.equal(flat, nn.utils.parameters_to_vector(model.parameters())))
exp_avg = opt.state[model[0].weight]["exp_avg"]
print(exp_avg, live["2.bias"], snapshot["2.bias"])
