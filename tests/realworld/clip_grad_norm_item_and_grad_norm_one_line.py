# clip_grad_norm_ then step; one print reads total.item() and a .grad's norm on the same line (the norm was said to be
# made of the values total.item() took out of a graph).
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(8, 3)
loss = model(x).pow(2).mean() * 100
loss.backward()
total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
opt.step()
print(round(total.item(), 4), model[0].weight.grad.norm() <= 1.0001)
