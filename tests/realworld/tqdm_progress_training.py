from tqdm import tqdm, trange

torch.manual_seed(174)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
data = [(torch.randn(4, 3), torch.randn(4, 1)) for _ in range(5)]
for epoch in trange(2, desc="epochs"):
    bar = tqdm(data, leave=False)
    for xb, yb in bar:
        opt.zero_grad()
        loss = F.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        bar.set_postfix(loss=f"{loss.item():.3f}")
    tqdm.write(f"epoch {epoch} loss {loss.item():.4f}")
print(model.weight.grad)
