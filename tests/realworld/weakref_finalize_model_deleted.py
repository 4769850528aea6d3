import weakref

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
finalizer = weakref.finalize(model, print, "old model freed")
x = torch.randn(5, 4)
out = model(x).sum()
out.backward()
print("grad norm", round(model[0].weight.grad.norm().item(), 4))
del model, out
print("alive after del:", finalizer.alive)

model = nn.Linear(4, 1)
pred = model(x)
loss = pred.pow(2).mean()
loss.backward()
print("new model grad", model.weight.grad)
