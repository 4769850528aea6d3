# Storing the loss as a float and then calling backward on it
torch.manual_seed(0)
model = nn.Linear(4, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
xb = torch.randn(8, 4)
yb = torch.randint(0, 2, (8,))

running = 0.0
for i in range(2):
    logits = model(xb)
    loss = F.cross_entropy(logits, yb).item()
    running += loss
    print(f"batch {i} loss {loss:.4f} running {running:.4f}")
    opt.zero_grad()
    loss.backward()
    opt.step()
