from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(111)
features = torch.randn(10, 3)
targets = torch.arange(10) % 2
ds = TensorDataset(features, targets)


def collate(batch):
    xs = torch.stack([b[0] for b in batch])
    ys = torch.stack([b[1] for b in batch])
    if len(batch) < 4:
        raise ValueError(f"short batch of {len(batch)}")
    return xs, ys


model = nn.Linear(3, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for xs, ys in DataLoader(ds, batch_size=4, collate_fn=collate):
    opt.zero_grad()
    loss = F.cross_entropy(model(xs), ys)
    loss.backward()
    opt.step()
    print(loss.item())
