import torch
from torch.func import vmap


def relu_if_positive_mean(v):
    if v.mean().item() > 0:
        return v.relu()
    return v


batch = torch.tensor([[1.0, -2.0, 3.0], [-1.0, -1.0, 0.5]])
print([relu_if_positive_mean(row) for row in batch])
print(vmap(lambda v: torch.where(v.mean() > 0, v.relu(), v))(batch))
out = vmap(relu_if_positive_mean)(batch)
print(out)
