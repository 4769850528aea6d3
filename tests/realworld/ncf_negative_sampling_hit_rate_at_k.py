import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2)
n_users, n_items, dim = 8, 12, 4
interactions = {u: set(torch.randperm(n_items)[:3].tolist()) for u in range(n_users)}
held_out = {u: min(items) for u, items in interactions.items()}
train_pairs = [(u, i) for u, items in interactions.items() for i in items if i != held_out[u]]


class NCF(nn.Module):
    def __init__(self):
        super().__init__()
        self.user_gmf, self.item_gmf = nn.Embedding(n_users, dim), nn.Embedding(n_items, dim)
        self.user_mlp, self.item_mlp = nn.Embedding(n_users, dim), nn.Embedding(n_items, dim)
        self.mlp = nn.Sequential(nn.Linear(2 * dim, dim), nn.ReLU())
        self.out = nn.Linear(2 * dim, 1)

    def forward(self, u, i):
        gmf = self.user_gmf(u) * self.item_gmf(i)
        mlp = self.mlp(torch.cat([self.user_mlp(u), self.item_mlp(i)], dim=-1))
        return self.out(torch.cat([gmf, mlp], dim=-1)).squeeze(-1)


model = NCF()
opt = torch.optim.Adam(model.parameters(), lr=0.05)
users = torch.tensor([u for u, _ in train_pairs])
pos = torch.tensor([i for _, i in train_pairs])
for epoch in range(4):
    neg = torch.randint(0, n_items, (len(users), 2))
    u_all = torch.cat([users, users.repeat_interleave(2)])
    i_all = torch.cat([pos, neg.flatten()])
    labels = torch.cat([torch.ones(len(users)), torch.zeros(2 * len(users))])
    loss = F.binary_cross_entropy_with_logits(model(u_all, i_all), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, round(loss.item(), 4))
with torch.no_grad():
    hits = 0
    for u in range(n_users):
        scores = model(torch.full((n_items,), u), torch.arange(n_items))
        seen = [i for i in interactions[u] if i != held_out[u]]
        scores[seen] = -float("inf")
        top = torch.topk(scores, k=3).indices.tolist()
        hits += held_out[u] in top
print(f"HR@3 = {hits / n_users:.3f}")
print(model.out.bias.grad)
