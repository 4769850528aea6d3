import torch

torch.manual_seed(8)
w = torch.randn(4, requires_grad=True)
scores = [w[i] * (i + 1) for i in range(4)]
positives = [s for s in scores if s > 0]
print(len(positives), torch.stack(positives).sum())
threshold = 10.0
big = [s for s in scores if s > threshold]
total = torch.stack(big).sum()  # nothing passed the filter
