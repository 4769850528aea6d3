# Batch normalisation written by hand as in a course assignment: batch statistics in training, running averages
# updated in place under no_grad, and the running statistics used in eval; compared with nn.BatchNorm1d
import torch
import torch.nn as nn


class MyBatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(num_features))
        self.beta = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.eps, self.momentum = eps, momentum

    def forward(self, x):
        if self.training:
            mean = x.mean(0)
            var = x.var(0, unbiased=False)
            with torch.no_grad():
                n = x.shape[0]
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean) / torch.sqrt(var + self.eps)
        return self.gamma * x_hat + self.beta


torch.manual_seed(62)
mine, ref = MyBatchNorm1d(3), nn.BatchNorm1d(3)
for step in range(3):
    x = torch.randn(5, 3) * 2 + 1
    a, b = mine(x), ref(x)
    (a ** 3).sum().backward()
    (b ** 3).sum().backward()
print(torch.allclose(a, b, atol=1e-5), torch.allclose(mine.running_var, ref.running_var))
print(mine.gamma.grad, ref.weight.grad)
mine.eval()
ref.eval()
test = torch.randn(2, 3)
print(mine(test) - ref(test))
