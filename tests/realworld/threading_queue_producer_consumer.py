import queue
import threading

torch.manual_seed(0)
batches = queue.Queue(maxsize=2)
STOP = object()


def producer(n_batches, g):
    for i in range(n_batches):
        x = torch.randn(4, 3, generator=g)
        y = x.sum(dim=1, keepdim=True)
        batches.put((i, x, y))
    batches.put(STOP)


g = torch.Generator().manual_seed(123)
worker = threading.Thread(target=producer, args=(5, g), daemon=True)
worker.start()

model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
while True:
    item = batches.get()
    if item is STOP:
        break
    i, xb, yb = item
    loss = F.l1_loss(model(xb), yb)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"batch {i}: loss={loss.item():.4f}")
worker.join()
print(model.weight.data, model.bias.data)
print(opt.state_dict()["param_groups"][0]["nesterov"])
