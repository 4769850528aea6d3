# Elastic Weight Consolidation (EWC) for continual learning
from copy import deepcopy
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(9)


def variable(t: torch.Tensor, use_cuda=False, **kwargs):
    return t.clone().detach().requires_grad_(kwargs.get("requires_grad", False))


class EWC(object):
    def __init__(self, model: nn.Module, dataset: list):
        self.model = model
        self.dataset = dataset
        self.params = {n: p for n, p in self.model.named_parameters() if p.requires_grad}
        self._means = {}
        self._precision_matrices = self._diag_fisher()
        for n, p in deepcopy(self.params).items():
            self._means[n] = variable(p.data)

    def _diag_fisher(self):
        precision_matrices = {}
        for n, p in deepcopy(self.params).items():
            p.data.zero_()
            precision_matrices[n] = variable(p.data)
        self.model.eval()
        for input in self.dataset:
            self.model.zero_grad()
            input = variable(input)
            output = self.model(input).view(1, -1)
            label = output.max(1)[1].view(-1)
            loss = F.nll_loss(F.log_softmax(output, dim=1), label)
            loss.backward()
            for n, p in self.model.named_parameters():
                precision_matrices[n].data += p.grad.data ** 2 / len(self.dataset)
        precision_matrices = {n: p for n, p in precision_matrices.items()}
        return precision_matrices

    def penalty(self, model: nn.Module):
        loss = 0
        for n, p in model.named_parameters():
            _loss = self._precision_matrices[n] * (p - self._means[n]) ** 2
            loss += _loss.sum()
        return loss


model = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 3))
task_a = [torch.randn(2) for _ in range(3)]
ewc = EWC(model, task_a)
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.05)
xb = torch.randn(4, 2)
yb = torch.tensor([2, 0, 1, 2])
importance = 100
for step in range(3):
    opt.zero_grad()
    output = model(xb)
    ce = F.cross_entropy(output, yb)
    pen = ewc.penalty(model)
    loss = ce + importance * pen
    loss.backward()
    opt.step()
    print(step, round(ce.item(), 4), round(float(pen), 6))
print({k: v.sum().item() for k, v in ewc._precision_matrices.items()})
