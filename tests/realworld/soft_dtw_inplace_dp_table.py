import torch


def softmin(a, b, c, gamma):
    vals = torch.stack([a, b, c]) / -gamma
    return -gamma * torch.logsumexp(vals, dim=0)


def soft_dtw(x, y, gamma=0.1):
    D = torch.cdist(x.unsqueeze(0), y.unsqueeze(0)).squeeze(0) ** 2
    n, m = D.shape
    R = torch.full((n + 1, m + 1), float("inf"))
    R[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            R[i, j] = D[i - 1, j - 1] + softmin(R[i - 1, j - 1], R[i - 1, j], R[i, j - 1], gamma)
    return R[n, m]


torch.manual_seed(29)
x = torch.randn(3, 2, requires_grad=True)
y = torch.randn(4, 2)
loss = soft_dtw(x, y)
loss.backward()
print(f"soft-DTW {loss.item():.5f}")
print(x.grad)
