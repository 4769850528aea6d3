import torch
import torch.nn as nn


class MF(nn.Module):
    def __init__(self, n_users, n_items, k):
        super().__init__()
        self.user = nn.Embedding(n_users, k, sparse=True)
        self.item = nn.Embedding(n_items, k, sparse=True)
        self.user_bias = nn.Embedding(n_users, 1)
        self.item_bias = nn.Embedding(n_items, 1)
        self.global_bias = nn.Parameter(torch.zeros(1))

    def forward(self, u, i):
        dot = (self.user(u) * self.item(i)).sum(1)
        return dot + self.user_bias(u).squeeze(1) + self.item_bias(i).squeeze(1) + self.global_bias


torch.manual_seed(8)
model = MF(5, 6, 3)
sparse_params = [model.user.weight, model.item.weight]
dense_params = [p for n, p in model.named_parameters() if "bias" in n]
opt_sparse = torch.optim.SparseAdam(sparse_params, lr=0.05)
opt_dense = torch.optim.Adam(dense_params, lr=0.05)
users = torch.tensor([0, 1, 1, 3, 4])
items = torch.tensor([2, 2, 5, 0, 1])
ratings = torch.tensor([4.0, 3.0, 5.0, 1.0, 2.0])
for epoch in range(3):
    opt_sparse.zero_grad()
    opt_dense.zero_grad()
    pred = model(users, items)
    loss = nn.functional.mse_loss(pred, ratings)
    loss.backward()
    opt_sparse.step()
    opt_dense.step()
    print(f"epoch {epoch} rmse {loss.sqrt().item():.4f}")
print(model.user.weight.grad.is_sparse, model.user_bias.weight.grad.is_sparse)
print(model.user.weight.grad.coalesce().indices())
