from torch.utils.data import DataLoader, Dataset


class Images(Dataset):
    def __init__(self):
        self.data = torch.rand(10, 3, 4, 4)

    def __len__(self):
        return 11

    def __getitem__(self, i):
        return self.data[i].flip(-1), i % 2


torch.manual_seed(173)
net = nn.Sequential(nn.Flatten(), nn.Linear(48, 2))
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
for images, labels in DataLoader(Images(), batch_size=4, num_workers=2):
    opt.zero_grad()
    loss = F.cross_entropy(net(images), labels)
    loss.backward()
    opt.step()
    print(tuple(images.shape), loss.item() > 0)
