torch.manual_seed(178)
model = nn.Sequential(nn.Linear(4, 4), nn.GELU(), nn.Linear(4, 2)).half()
x = torch.randn(3, 4, dtype=torch.float16)
out = model(x)
loss = out.float().pow(2).mean()
loss.backward()
print(out.dtype, out)
print(model[0].weight.grad.dtype, model[0].weight.grad)
master = [p.detach().float().clone() for p in model.parameters()]
with torch.no_grad():
    for m, p in zip(master, model.parameters()):
        m -= 0.1 * p.grad.float()
        p.copy_(m.half())
print(model[2].bias, master[3])
