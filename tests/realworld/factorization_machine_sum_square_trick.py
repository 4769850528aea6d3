# Factorization machine (Rendle): the O(kn) pairwise term 0.5 * ((xV)^2 - x^2 V^2), trained with BCE on sparse one-hot rows
import torch
import torch.nn as nn


class FM(nn.Module):
    def __init__(self, n, k):
        super().__init__()
        self.w0 = nn.Parameter(torch.zeros(1))
        self.w = nn.Parameter(torch.zeros(n))
        self.V = nn.Parameter(torch.randn(n, k) * 0.1)

    def forward(self, x):
        linear = self.w0 + x @ self.w
        inter = 0.5 * ((x @ self.V).pow(2) - (x.pow(2) @ self.V.pow(2))).sum(dim=1)
        return linear + inter


torch.manual_seed(44)
rows = torch.zeros(6, 8)
rows[torch.arange(6), torch.tensor([0, 1, 2, 0, 1, 2])] = 1
rows[torch.arange(6), torch.tensor([3, 4, 5, 6, 7, 3])] = 1
clicks = torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0, 1.0])
fm = FM(8, 3)
opt = torch.optim.Adagrad(fm.parameters(), lr=0.3)
for epoch in range(3):
    opt.zero_grad()
    logits = fm(rows)
    loss = nn.functional.binary_cross_entropy_with_logits(logits, clicks)
    loss.backward()
    opt.step()
print(f"{loss.item():.4f}", torch.sigmoid(logits).round(decimals=3))
print(fm.V.grad[0], opt.state[fm.w]["sum"])
