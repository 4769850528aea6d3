import torch
import torch.nn as nn

torch.manual_seed(0)


class RunningNorm(nn.Module):
    def __init__(self, num_features, momentum=0.1, eps=1e-5):
        super().__init__()
        self.momentum = momentum
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def forward(self, x):
        if self.training:
            mean = x.mean(0)
            var = x.var(0, unbiased=False)
            with torch.no_grad():
                n = x.shape[0]
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
                self.num_batches_tracked += 1
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


mine = RunningNorm(3)
ref = nn.BatchNorm1d(3)
opt = torch.optim.SGD(list(mine.parameters()) + list(ref.parameters()), lr=0.1)
for step in range(3):
    x = torch.randn(8, 3) * 2 + 1
    a = mine(x)
    b = ref(x)
    loss = (a ** 3).mean() + (b ** 3).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, torch.allclose(a, b, atol=1e-5), torch.allclose(mine.running_var, ref.running_var))
print(mine.state_dict())
print(mine.num_batches_tracked, ref.num_batches_tracked)
mine.eval()
ref.eval()
with torch.no_grad():
    xe = torch.randn(2, 3)
    print(torch.allclose(mine(xe), ref(xe), atol=1e-5))
print(dict(mine.named_buffers()).keys())
