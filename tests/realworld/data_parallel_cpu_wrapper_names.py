torch.manual_seed(207)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
model = nn.DataParallel(net) if torch.cuda.device_count() > 1 else net
wrapped = nn.DataParallel(nn.Linear(3, 1))
opt = torch.optim.SGD(list(model.parameters()) + list(wrapped.parameters()), lr=0.1)
x = torch.randn(5, 3)
for _ in range(2):
    opt.zero_grad()
    loss = model(x).pow(2).mean() + wrapped(x).abs().mean()
    loss.backward()
    opt.step()
print(type(wrapped).__name__, [n for n, _ in wrapped.named_parameters()])
state = wrapped.module.state_dict()
params = dict(model.named_parameters())
grads = [p.grad for p in model.parameters()]
print(sorted(state), list(params), len(grads))
print(wrapped.module.weight.grad, grads[-1])
