import threading
import torch
import torch.nn as nn

torch.manual_seed(21)
models = [nn.Linear(3, 1), nn.Linear(3, 1)]
data = torch.randn(6, 3)
target = torch.randn(6, 1)
results = {}
lock = threading.Lock()

def worker(idx):
    m = models[idx]
    pred = m(data * (idx + 1))
    loss = ((pred - target) ** 2).mean()
    loss.backward()
    with lock:
        results[idx] = loss.item()

threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(results.items()))
print(models[0].weight.grad)
print(models[1].weight.grad)
