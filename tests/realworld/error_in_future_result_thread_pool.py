from concurrent.futures import ThreadPoolExecutor
torch.manual_seed(160)
w = torch.randn(3, requires_grad=True)
xs = torch.randn(3, 3)


def loss_of(i):
    return (w * xs[i] * (i + 1)).sum()


with ThreadPoolExecutor(max_workers=2) as pool:
    futures = [pool.submit(loss_of, i) for i in range(3)]
    total = sum(f.result() for f in futures)
total.backward()
print(w.grad)
with ThreadPoolExecutor(max_workers=1) as pool2:
    fut = pool2.submit(lambda: w.view(4))
    print("submitted")
    fut.result()
