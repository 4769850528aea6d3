from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(193)
ds = TensorDataset(torch.randn(5, 2), torch.randn(5))
it = iter(DataLoader(ds, batch_size=2))
lin = nn.Linear(2, 1)
for step in range(4):
    xb, yb = next(it)
    loss = (lin(xb).squeeze(1) - yb).pow(2).mean()
    loss.backward()
    print(step, xb.shape[0], round(loss.item(), 4))
