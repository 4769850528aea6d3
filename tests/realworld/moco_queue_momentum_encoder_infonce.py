# MoCo: a momentum key encoder updated with lerp_ under no_grad, a queue of negatives written in place, InfoNCE.
import copy

torch.manual_seed(0)
dim, K, bs = 4, 6, 2
encoder_q = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, dim))
encoder_k = copy.deepcopy(encoder_q)
for p in encoder_k.parameters():
    p.requires_grad_(False)
queue = F.normalize(torch.randn(dim, K), dim=0)
ptr = 0
opt = torch.optim.SGD(encoder_q.parameters(), lr=0.1)
for step in range(3):
    x = torch.randn(bs, 5)
    x_q, x_k = x + 0.1 * torch.randn_like(x), x + 0.1 * torch.randn_like(x)
    q = F.normalize(encoder_q(x_q), dim=1)
    with torch.no_grad():
        for pq, pk in zip(encoder_q.parameters(), encoder_k.parameters()):
            pk.lerp_(pq, 0.01)
        k = F.normalize(encoder_k(x_k), dim=1)
    l_pos = (q * k).sum(1, keepdim=True)
    l_neg = q @ queue.clone().detach()
    logits = torch.cat([l_pos, l_neg], dim=1) / 0.07
    labels = torch.zeros(bs, dtype=torch.long)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    queue[:, ptr : ptr + bs] = k.T
    ptr = (ptr + bs) % K
    print(step, ptr, f"{loss.item():.4f}")
print(queue)
print(encoder_q[2].bias.grad, encoder_k[2].bias)
