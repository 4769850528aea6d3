import torch


def true_fn(x, w):
    return (x * w).sin()


def false_fn(x, w):
    return (x + w).cos()


class Gate(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.tensor([0.5, -1.0, 2.0]))

    def forward(self, x):
        return torch.cond(x.sum() > 0, true_fn, false_fn, (x, self.w))


torch.manual_seed(0)
gate = Gate()
pos = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
neg = torch.tensor([-1.0, -2.0, 0.5], requires_grad=True)
out_pos = gate(pos)
out_neg = gate(neg)
loss = out_pos.sum() + (out_neg**2).sum()
loss.backward()
print("out_pos", out_pos)
print("out_neg", out_neg)
print("pos.grad", pos.grad)
print("neg.grad", neg.grad)
print("w.grad", gate.w.grad)
