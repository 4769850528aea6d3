import copy

torch.manual_seed(104)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
opt = torch.optim.Adam(net.parameters(), lr=0.02, betas=(0.8, 0.95))
xb = torch.randn(8, 3)
yb = torch.randn(8, 1)


def train_step(model, optimizer):
    optimizer.zero_grad()
    loss = F.smooth_l1_loss(model(xb), yb, beta=0.5)
    loss.backward()
    optimizer.step()
    return loss


for _ in range(3):
    train_step(net, opt)
saved_model = copy.deepcopy(net.state_dict())
saved_opt = copy.deepcopy(opt.state_dict())
print(sorted(saved_opt["state"].keys()), saved_opt["param_groups"][0]["betas"])
resumed = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
resumed.load_state_dict(saved_model)
opt2 = torch.optim.Adam(resumed.parameters(), lr=0.5)
opt2.load_state_dict(saved_opt)
print(opt2.param_groups[0]["lr"])
a = train_step(net, opt)
b = train_step(resumed, opt2)
print(a, b)
print(torch.equal(net[2].weight, resumed[2].weight))
print(resumed[0].weight.grad)
