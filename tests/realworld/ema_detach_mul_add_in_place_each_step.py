torch.manual_seed(0)
model = nn.Linear(2, 2)
ema = nn.Linear(2, 2)
ema.load_state_dict(model.state_dict())
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(2):
    loss = model(torch.randn(3, 2)).pow(2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    for pe, pm in zip(ema.parameters(), model.parameters()):
        pe.detach().mul_(0.9).add_(pm.detach(), alpha=0.1)
print(ema.weight)
print(model.weight)
