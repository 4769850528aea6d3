import torch
from torch.utils.data import DataLoader, Dataset


class Sentences(Dataset):
    def __init__(self):
        self.data = [torch.randn(3), torch.randn(3), torch.randn(5), torch.randn(2)]

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return self.data[i], torch.tensor(i % 2)


torch.manual_seed(62)
w = torch.randn(3, requires_grad=True)
loader = DataLoader(Sentences(), batch_size=2)
for step, (tokens, label) in enumerate(loader):
    loss = (tokens @ w).sigmoid().sub(label.float()).pow(2).mean()
    loss.backward()
    print("step", step, round(loss.item(), 4))
