import torch
import torch.nn as nn
import torch.nn.functional as F


class AverageMeter:
    """Computes and stores the average and current value"""

    def __init__(self, name, fmt=":f"):
        self.name = name
        self.fmt = fmt
        self.reset()

    def reset(self):
        self.val = 0
        self.avg = 0
        self.sum = 0
        self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count

    def __str__(self):
        fmtstr = "{name} {val" + self.fmt + "} ({avg" + self.fmt + "})"
        return fmtstr.format(**self.__dict__)


torch.manual_seed(1)
model = nn.Linear(4, 3)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
losses = AverageMeter("Loss", ":.4e")
top1 = AverageMeter("Acc@1", ":6.2f")
grads = AverageMeter("GradNorm")  # fed tensors, not floats: keeps them
for i in range(3):
    x, y = torch.randn(5, 4), torch.randint(0, 3, (5,))
    out = model(x)
    loss = F.cross_entropy(out, y)
    acc = (out.argmax(1) == y).float().mean() * 100
    losses.update(loss.item(), x.size(0))
    top1.update(acc.item(), x.size(0))
    opt.zero_grad()
    loss.backward()
    grads.update(model.weight.grad.norm())
    opt.step()
    print(f"[{i}]", losses, top1, sep="\t")
print(grads.avg, grads.count)
