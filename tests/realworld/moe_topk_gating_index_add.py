import torch
import torch.nn as nn
import torch.nn.functional as F


class MoE(nn.Module):
    def __init__(self, d, n_experts=4, k=2):
        super().__init__()
        self.gate = nn.Linear(d, n_experts, bias=False)
        self.experts = nn.ModuleList(
            [nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(n_experts)]
        )
        self.k = k

    def forward(self, x):
        logits = self.gate(x)
        weights, idx = torch.topk(logits, self.k, dim=-1)
        weights = F.softmax(weights, dim=-1)
        out = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            token_idx, slot = torch.where(idx == e)
            if token_idx.numel() == 0:
                continue
            y = expert(x[token_idx]) * weights[token_idx, slot].unsqueeze(-1)
            out = out.index_add(0, token_idx, y)
        probs = logits.softmax(-1)
        load = F.one_hot(idx[:, 0], probs.shape[-1]).float().mean(0)
        aux = (probs.mean(0) * load).sum() * probs.shape[-1]
        return out, aux


torch.manual_seed(11)
moe = MoE(4)
tokens = torch.randn(6, 4, requires_grad=True)
out, aux_loss = moe(tokens)
loss = out.pow(2).mean() + 0.01 * aux_loss
loss.backward()
print("aux", round(aux_loss.item(), 5))
print(tokens.grad.norm().item() > 0, moe.gate.weight.grad.shape)
