import torch

torch.set_printoptions(precision=6)
x = torch.tensor([4.0, 0.0, -1.0, 9.0, float("nan")], dtype=torch.float64, requires_grad=True)
valid = torch.isfinite(x) & (x > 0)
safe = torch.where(valid, x, torch.ones_like(x))
r = torch.where(valid, safe.sqrt(), torch.zeros_like(x))
naive = torch.where(valid, x.sqrt(), 0.0)
print("safe r:", r)
(r.sum() + torch.nan_to_num(naive, nan=0.0).sum() * 0).backward()
print("grad:", x.grad)
x.grad = None
lg = torch.nan_to_num(torch.log(x), nan=0.0, neginf=-10.0, posinf=10.0)
lg.sum().backward()
print("log grad with nan_to_num:", x.grad)
m = x.masked_fill(~valid, 0.0)
mean_valid = m.sum() / valid.sum()
print(f"mean over valid = {mean_valid.item():.6f}")
x.grad = None
mean_valid.backward()
print(x.grad)
