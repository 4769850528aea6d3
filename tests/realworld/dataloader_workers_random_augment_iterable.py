import math
import random

import numpy as np
from torch.utils.data import DataLoader, Dataset, IterableDataset, get_worker_info


class NoisyPoints(Dataset):
    def __init__(self, n):
        self.base = torch.linspace(-1, 1, n).unsqueeze(1)

    def __len__(self):
        return len(self.base)

    def __getitem__(self, i):
        x = self.base[i] + 0.1 * torch.randn(1) + 0.01 * random.random() + 0.01 * float(np.random.rand())
        return x, 2 * self.base[i]


class Stream(IterableDataset):
    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        info = get_worker_info()
        per = int(math.ceil((self.end - self.start) / info.num_workers))
        lo = self.start + info.id * per
        return iter(torch.arange(lo, min(lo + per, self.end)).float().unsqueeze(1))


def seed_worker(worker_id):
    worker_seed = torch.initial_seed() % 2**32
    np.random.seed(worker_seed)
    random.seed(worker_seed)


torch.manual_seed(172)
loader = DataLoader(
    NoisyPoints(12), batch_size=4, shuffle=True, num_workers=2, persistent_workers=True,
    worker_init_fn=seed_worker,
)
model = nn.Linear(1, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.2)
for epoch in range(2):
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 5), xb.squeeze(1))
print(torch.rand(2), random.random())
stream = DataLoader(Stream(0, 7), batch_size=2, num_workers=3)
print([b.squeeze(1).tolist() for b in stream])
print(model.weight, model.weight.grad)
