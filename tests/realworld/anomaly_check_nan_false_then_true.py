x = torch.tensor([4.0, 0.0, 1.0], requires_grad=True)
with torch.autograd.detect_anomaly(check_nan=False):
    y = torch.sqrt(x) * 0
    y.sum().backward()
print("no error with check_nan=False:", x.grad)
torch.autograd.set_detect_anomaly(True, check_nan=False)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
x.grad = None
(torch.sqrt(x) * 0).sum().backward()
print(x.grad)
torch.autograd.set_detect_anomaly(True, check_nan=True)
x.grad = None
z = torch.sqrt(x) * 0
z.sum().backward()
print("unreachable")
