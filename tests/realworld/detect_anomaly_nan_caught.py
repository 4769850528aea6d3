torch.manual_seed(14)
torch.autograd.set_detect_anomaly(True)
x = torch.tensor([4.0, 0.0, 9.0], requires_grad=True)
y = torch.sqrt(x)
z = (y * 0 + 1) / y
print(z)
loss = z.sum()
try:
    loss.backward()
except RuntimeError as e:
    print("caught:", type(e).__name__)
torch.autograd.set_detect_anomaly(False)
print(x.grad)
