# Sensor data with missing readings: NaN-aware statistics and a loss that ignores NaN targets
import torch

torch.manual_seed(3)
readings = torch.tensor([[1.0, float("nan"), 3.0, 4.0], [2.0, 2.5, float("nan"), float("nan")], [0.5, 1.5, 2.5, 3.5]])
w = torch.randn(4, requires_grad=True)
b = torch.zeros(1, requires_grad=True)

col_mean = readings.nanmean(dim=0)
print("column means:", col_mean)
filled = torch.where(torch.isnan(readings), col_mean.expand_as(readings), readings)
pred = filled @ w + b
target = torch.tensor([2.0, float("nan"), 1.0])
mask = ~target.isnan()
err = (pred - target) ** 2
loss = err.nansum() / mask.sum()
loss.backward()
print(f"loss = {loss.item():.5f}")
print("w.grad:", w.grad)
print("b.grad:", b.grad)
print("masked mean:", err[mask].mean().item())
# nansum hides the NaN in the loss, not in the gradient: mask before the loss instead
w.grad = None
b.grad = None
loss = ((pred[mask] - target[mask]) ** 2).mean()
loss.backward()
print("w.grad:", w.grad, "b.grad:", b.grad)

hist = torch.histc(filled, bins=4, min=0, max=4)
counts, edges = torch.histogram(filled.flatten(), bins=4)
print(hist, counts, edges)
buckets = torch.bucketize(pred.detach(), torch.tensor([-1.0, 0.0, 1.0]))
print("buckets:", buckets.tolist())
print(torch.nanquantile(readings, 0.5, dim=1))
print(torch.nanmedian(readings))
