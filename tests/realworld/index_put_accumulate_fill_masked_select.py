import torch

x = torch.arange(12, dtype=torch.float32).view(3, 4).requires_grad_()
h = x * 2
h = h.index_put((torch.tensor([0, 0, 2]), torch.tensor([1, 1, 3])), torch.tensor([10.0, 20.0, 30.0]), accumulate=True)
h = h.index_fill(1, torch.tensor([0]), -1.0)
sel = h.masked_select(h > 10)
loss = sel.sum() + h.index_select(0, torch.tensor([1, 1])).sum()
loss.backward()
print(h)
print(sel)
print(x.grad)
