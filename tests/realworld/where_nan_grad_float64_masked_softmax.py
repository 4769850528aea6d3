# The double-where trick: NaN gradients from the branch not taken, and how to avoid them
x = torch.tensor([-1.0, 0.0, 4.0, 9.0], dtype=torch.float64, requires_grad=True)
naive = torch.where(x > 0, torch.sqrt(x), torch.zeros_like(x))
naive.sum().backward()
print("naive grad:", x.grad)
x.grad = None
safe_x = torch.where(x > 0, x, torch.ones_like(x))
safe = torch.where(x > 0, torch.sqrt(safe_x), 0.0)
safe.sum().backward()
print("safe grad :", x.grad)

scores = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.1, 0.2]], dtype=torch.float64, requires_grad=True)
mask = torch.tensor([[True, True, False], [False, False, False]])
att = scores.masked_fill(~mask, float("-inf")).softmax(-1)
print(att)
att_fixed = torch.nan_to_num(att, nan=0.0)
att_fixed.sum().backward()
print(scores.grad)
print(torch.nanmean(att, dim=1), torch.nansum(att))
