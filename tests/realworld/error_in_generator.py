def batches(data, size):
    for start in range(0, len(data) + size, size):
        chunk = data[start : start + size]
        yield chunk.view(size, 2)


torch.manual_seed(20)
data = torch.randn(6, 2)
layer = nn.Linear(2, 1)
seen = []
for batch in batches(data, 2):
    out = layer(batch).sum()
    seen.append(out.item())
