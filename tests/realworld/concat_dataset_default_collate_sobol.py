import torch
from torch.utils.data import ConcatDataset, DataLoader, TensorDataset, default_collate
from torch.quasirandom import SobolEngine

sobol = SobolEngine(dimension=2, scramble=True, seed=7)
pts_a = sobol.draw(8)
pts_b = sobol.draw(4) * 2 - 1
ds = ConcatDataset([TensorDataset(pts_a, torch.zeros(8)), TensorDataset(pts_b, torch.ones(4))])
print(len(ds), ds.cumulative_sizes)


def collate(batch):
    xs, ys = default_collate(batch)
    return xs.float(), ys.long()


torch.manual_seed(3)
loader = DataLoader(ds, batch_size=5, shuffle=True, collate_fn=collate, generator=torch.Generator().manual_seed(3))
clf = torch.nn.Linear(2, 2)
opt = torch.optim.Adagrad(clf.parameters(), lr=0.5)
for epoch in range(2):
    for xb, yb in loader:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(clf(xb), yb)
        loss.backward()
        opt.step()
    print(f"epoch {epoch} last batch {tuple(xb.shape)} loss {loss:.4f}")
print(clf.weight, clf.weight.grad)
print(opt.state[clf.weight]["sum"])
