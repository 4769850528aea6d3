import threading
import torch

results = {}

def worker(name, scale):
    x = torch.ones(3, requires_grad=True)
    y = (x * scale).sum()
    y.backward()
    if scale < 0:
        raise ValueError(f"negative scale for {name}")
    results[name] = x.grad.clone()

threads = [threading.Thread(target=worker, args=(f"w{i}", s)) for i, s in enumerate([1.0, -1.0, 2.0])]
for t in threads:
    t.start()
    t.join()
print(sorted(results))
print(results["w2"])
