from concurrent.futures import ThreadPoolExecutor
w = torch.tensor([0.5, -1.0], requires_grad=True)
chunks = [torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]), torch.tensor([5.0, 6.0])]
def chunk_loss(chunk):
    return (w * chunk).sum() ** 2
with ThreadPoolExecutor(max_workers=2) as pool:
    losses = list(pool.map(chunk_loss, chunks))
total = sum(losses)
total.backward()
print(total.item(), w.grad)
