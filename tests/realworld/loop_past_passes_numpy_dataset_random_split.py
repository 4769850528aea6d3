import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader, random_split

class NumpyPairs(Dataset):
    """Pairs from numpy arrays."""
    def __init__(self, n):
        rng = np.random.default_rng(0)
        self.x = rng.normal(size=(n, 3)).astype(np.float32)
        self.y = (self.x.sum(1, keepdims=True) > 0).astype(np.float32)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return torch.from_numpy(self.x[i]), torch.from_numpy(self.y[i])

torch.manual_seed(0)
full = NumpyPairs(100)
train, val = random_split(full, [80, 20])
loader = DataLoader(train, batch_size=16, shuffle=True, drop_last=True)
model = nn.Linear(3, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(30):
    for xb, yb in loader:
        logits = model(xb)
        loss = nn.functional.binary_cross_entropy_with_logits(logits, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
print(len(loader), round(loss.item(), 4), logits.shape)
