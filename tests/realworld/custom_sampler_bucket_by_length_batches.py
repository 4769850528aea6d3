import random

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset, Sampler


class Seqs(Dataset):
    def __init__(self, lengths):
        g = torch.Generator().manual_seed(3)
        self.items = [torch.randn(n, 2, generator=g) for n in lengths]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


class BucketSampler(Sampler):
    def __init__(self, lengths, batch_size):
        self.order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        self.batch_size = batch_size

    def __iter__(self):
        batches = [self.order[i : i + self.batch_size] for i in range(0, len(self.order), self.batch_size)]
        random.shuffle(batches)
        yield from batches

    def __len__(self):
        return (len(self.order) + self.batch_size - 1) // self.batch_size


lengths = [5, 2, 7, 3, 3, 6, 2]
ds = Seqs(lengths)
loader = DataLoader(ds, batch_sampler=BucketSampler(lengths, 3), collate_fn=lambda b: pad_sequence(b, batch_first=True))
torch.manual_seed(3)
random.seed(3)
rnn = nn.GRU(2, 4, batch_first=True)
head = nn.Linear(4, 1)
opt = torch.optim.Adam([*rnn.parameters(), *head.parameters()], lr=0.01)
for batch in loader:
    out, h = rnn(batch)
    loss = head(h[-1]).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(tuple(batch.shape), f"{loss.item():.4f}")
print(head.bias.grad)
