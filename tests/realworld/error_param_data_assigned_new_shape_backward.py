# Replacing a parameter's values by assigning .data a tensor of another shape (as people do to resize an
# embedding for new tokens): the forward works, but autograd kept the old shape for the leaf and backward fails
# ("returned an invalid gradient ... expected shape compatible with [4, 3]"), on the backward line.
torch.manual_seed(0)
emb = nn.Embedding(4, 3)
head = nn.Linear(3, 2)
opt = torch.optim.SGD(list(emb.parameters()) + list(head.parameters()), lr=0.1)
ids = torch.tensor([0, 3, 1])
loss = head(emb(ids)).sum()
loss.backward()
opt.step()
old_rows = emb.weight.data
emb.weight.data = torch.cat([old_rows, torch.zeros(2, 3)])
emb.num_embeddings = 6
with torch.no_grad():
    head.bias.set_(torch.tensor([1.0, -1.0]))
opt.zero_grad()
ids2 = torch.tensor([5, 4, 0])
loss2 = head(emb(ids2)).pow(2).sum()
loss2.backward()
opt.step()
print(emb.weight.shape, emb.weight.grad.shape, opt.param_groups[0]["params"][0] is emb.weight)
print(emb.weight)
print(head.bias, head.bias.grad)
