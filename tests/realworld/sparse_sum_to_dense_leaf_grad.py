import torch

idx = torch.tensor([[0, 0, 2], [1, 2, 0]])
vals = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
S = torch.sparse_coo_tensor(idx, vals, (3, 3))
total = torch.sparse.sum(S)
dense = S.to_dense()
loss = total * 2 + (dense ** 2).sum()
loss.backward()
print(total, vals.grad)
row_sums = torch.sparse.sum(S, dim=1)
print(row_sums.to_dense())
sm = torch.sparse.softmax(S.coalesce(), dim=1)
print(sm.to_dense())
