import threading

w = torch.ones(3, requires_grad=True)
results = []


def worker(scale):
    out = (w * scale).sum()
    if scale > 1:
        raise ValueError(f"bad scale {scale}")
    results.append(out.item())


threads = [threading.Thread(target=worker, args=(s,)) for s in (1, 2)]
for t in threads:
    t.start()
    t.join()
print(results)
(w * 2).sum().backward()
print(w.grad)
