import torch
from torch import nn


class Normalizer(nn.Module):
    """Keeps running mean/var in nn.Buffer; old checkpoints used 'mu'/'sigma2'."""

    def __init__(self, dim):
        super().__init__()
        self.mean = nn.Buffer(torch.zeros(dim))
        self.var = nn.Buffer(torch.ones(dim))
        self.scratch = nn.Buffer(torch.zeros(dim), persistent=False)
        self.register_load_state_dict_pre_hook(self._upgrade)

    def _upgrade(self, module, state_dict, prefix, local_metadata, strict, missing, unexpected, errors):
        for old, new in (("mu", "mean"), ("sigma2", "var")):
            if prefix + old in state_dict:
                print(f"  upgrading {prefix + old} -> {prefix + new}")
                state_dict[prefix + new] = state_dict.pop(prefix + old)

    def forward(self, x):
        return (x - self.mean) / torch.sqrt(self.var + 1e-5)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = Normalizer(3)
        self.fc = nn.Linear(3, 1)

    def forward(self, x):
        return self.fc(self.norm(x))


torch.manual_seed(1)
net = Net()
net.register_state_dict_post_hook(lambda m, sd, prefix, meta: print("saved keys:", list(sd)))
old_ckpt = {
    "norm.mu": torch.tensor([1.0, 2.0, 3.0]),
    "norm.sigma2": torch.tensor([4.0, 1.0, 0.25]),
    "fc.weight": torch.tensor([[0.5, -0.5, 1.0]]),
    "fc.bias": torch.tensor([0.1]),
}
result = net.load_state_dict(old_ckpt)
print(result)
net.register_load_state_dict_post_hook(lambda m, incompatible: print("post hook missing:", incompatible.missing_keys))
net.load_state_dict(net.state_dict())

x = torch.tensor([[1.0, 2.0, 3.0], [3.0, 3.0, 3.0]])
y = torch.tensor([[1.0], [0.0]])
out = net(x)
loss = ((out - y) ** 2).mean()
loss.backward()
print(out)
print(net.fc.weight.grad, net.fc.bias.grad)
print(net.norm.mean, net.norm.var.requires_grad)
