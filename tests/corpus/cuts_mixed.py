x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
mask = x > 0
ones = torch.ones_like(x)
zeros = torch.zeros_like(x)
best = x.argmax()
scaled = torch.where(mask, x * 2, zeros) + ones
frozen = scaled.detach()
with torch.no_grad():
    doubled = x * 2
with torch.inference_mode():
    tripled = x * 3
loss = (scaled * frozen).sum()
loss.backward()
print(best.item(), x.grad)
