def batches(data, size):
    for i in range(0, len(data), size):
        chunk = data[i:i + size]
        if len(chunk) < size:
            raise StopIteration
        yield chunk


torch.manual_seed(191)
data = torch.randn(7, 2)
w = torch.ones(2, requires_grad=True)
total = 0
for b in batches(data, 3):
    loss = (b @ w).pow(2).mean()
    loss.backward()
    total += loss.item()
print(total, w.grad)
