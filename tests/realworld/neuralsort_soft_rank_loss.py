# NeuralSort (Grover et al. 2019) relaxed permutation matrix; compare to hard sort.
import torch


def neural_sort(s, tau=1.0):
    s = s.unsqueeze(-1)  # (n, 1)
    n = s.size(0)
    A = (s - s.T).abs()
    B = A.sum(-1, keepdim=True) @ torch.ones(1, n)
    scaling = (n + 1 - 2 * (torch.arange(n) + 1)).float()
    C = s @ scaling.unsqueeze(0)
    P_max = (C - B).T
    return torch.softmax(P_max / tau, dim=-1)


scores = torch.tensor([0.3, 2.0, -1.0, 0.9], requires_grad=True)
P = neural_sort(scores, tau=0.1)
soft_sorted = P @ scores
hard_sorted, order = torch.sort(scores, descending=True)
print("soft  :", soft_sorted.detach().round(decimals=4))
print("hard  :", hard_sorted.detach(), order)
target_rank = torch.tensor([2, 0, 3, 1])
loss = torch.nn.functional.cross_entropy(P.log().clamp_min(-50), target_rank)
loss.backward()
print(f"loss={loss.item():.4f}")
print("grad:", scores.grad)
ranks = torch.argsort(torch.argsort(scores, descending=True))
print("ranks", ranks.tolist())
