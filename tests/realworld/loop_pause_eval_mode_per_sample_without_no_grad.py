torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 2))
data = torch.randn(1800, 8)
targets = torch.randint(0, 2, (1800,))
model.eval()
hits = 0
for i in range(data.shape[0]):
    out = model(data[i:i + 1])
    hits += (out.argmax(1) == targets[i]).sum().item()
print("acc", hits / data.shape[0])
loss = F.cross_entropy(out, targets[-1:])
loss.backward()
print("loss", round(loss.item(), 5))
print("grad norm", model[0].weight.grad.norm().item())
