# The IterableDataset gotcha: with two workers and no sharding every sample comes twice; get_worker_info() fixes it
import math

import torch
from torch.utils.data import DataLoader, IterableDataset, get_worker_info


class Range(IterableDataset):
    def __init__(self, start, end, shard):
        self.start, self.end, self.shard = start, end, shard

    def __iter__(self):
        lo, hi = self.start, self.end
        info = get_worker_info()
        if self.shard and info is not None:
            per = int(math.ceil((hi - lo) / info.num_workers))
            lo = lo + info.id * per
            hi = min(lo + per, self.end)
        for i in range(lo, hi):
            yield torch.tensor([float(i)]), torch.tensor(float(i % 2))


naive = [x.squeeze(1).tolist() for x, _ in DataLoader(Range(0, 6, False), batch_size=2, num_workers=2)]
sharded = [x.squeeze(1).tolist() for x, _ in DataLoader(Range(0, 6, True), batch_size=2, num_workers=2)]
print(naive)
print(sharded)
torch.manual_seed(51)
w = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
for xb, yb in DataLoader(Range(0, 6, True), batch_size=3, num_workers=2):
    loss = torch.nn.functional.binary_cross_entropy_with_logits((xb * w).squeeze(1), yb)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(w, xb.squeeze(1))
