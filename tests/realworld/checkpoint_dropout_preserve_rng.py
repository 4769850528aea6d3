import torch
import torch.nn as nn
import torch.utils.checkpoint as cp


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return x + self.drop(torch.relu(self.fc(x)))


class Net(nn.Module):
    def __init__(self, d, n, use_checkpoint):
        super().__init__()
        self.blocks = nn.ModuleList([Block(d) for _ in range(n)])
        self.use_checkpoint = use_checkpoint

    def forward(self, x):
        for blk in self.blocks:
            if self.use_checkpoint and self.training:
                x = cp.checkpoint(blk, x, use_reentrant=False, preserve_rng_state=True)
            else:
                x = blk(x)
        return x


torch.manual_seed(0)
net = Net(4, 2, use_checkpoint=True)
plain = Net(4, 2, use_checkpoint=False)
plain.load_state_dict(net.state_dict())
inp = torch.randn(3, 4, requires_grad=True)
torch.manual_seed(42)
y1 = net(inp)
y1.sum().backward()
g1 = inp.grad.clone()
inp.grad = None
torch.manual_seed(42)
y2 = plain(inp)
y2.sum().backward()
print("same output:", torch.equal(y1, y2))
print("same grad:", torch.allclose(g1, inp.grad))
print(net.blocks[0].fc.weight.grad.sum().item() == plain.blocks[0].fc.weight.grad.sum().item())
