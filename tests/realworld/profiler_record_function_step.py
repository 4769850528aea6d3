from torch.autograd.profiler import profile, record_function

torch.manual_seed(37)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(6, 4)
y = torch.randn(6, 1)
with profile(record_shapes=True) as prof:
    with record_function("forward"):
        pred = model(x)
        loss = F.mse_loss(pred, y)
    with record_function("backward"):
        opt.zero_grad()
        loss.backward()
    with record_function("step"):
        opt.step()
names = {evt.name for evt in prof.function_events}
print("forward" in names, "backward" in names, "step" in names)
print(round(loss.item(), 5))
print(model[2].bias)
