import threading
results = {}
def work(name, scale):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w * scale).sum()
    loss.backward()
    results[name] = w.grad
workers = [threading.Thread(target=work, args=(f"t{i}", i + 1)) for i in range(2)]
for t in workers:
    t.start()
for t in workers:
    t.join()
print(results["t0"], results["t1"])
