torch.manual_seed(118)
table = torch.randn(4, 3, requires_grad=True)
rows = torch.tensor([0, 2, 2, 3, 0])
cols = torch.tensor([1, 1, 0, 2, 1])
picked = table[rows, cols]
block = table[[1, 1, 3]][:, [0, 2]]
masked = table[table > 0]
gathered = table.gather(1, torch.tensor([[0, 0], [2, 2], [1, 0], [2, 1]]))
filled = table.masked_fill(table < -0.5, 0.0)
chosen = torch.where(table > 0, table, torch.zeros(()))
loss = (picked * torch.arange(5.0)).sum() + block.pow(2).sum() + masked.sum() + gathered.sum() + filled.sum() + chosen.sum()
loss.backward()
print(picked)
print(table.grad)
