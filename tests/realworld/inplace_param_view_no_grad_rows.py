torch.manual_seed(102)
emb = nn.Embedding(5, 3)
with torch.no_grad():
    emb.weight[0].fill_(0.0)
    emb.weight[1:3].mul_(0.5)
    row = emb.weight[4]
    row += 1.0
ids = torch.tensor([0, 1, 4, 4])
out = emb(ids).sum()
out.backward()
print(emb.weight)
print(emb.weight.grad)
with torch.no_grad():
    emb.weight.grad[0] = 0
print(emb.weight.grad[:2])
