import concurrent.futures
import torch
import torch.nn as nn

torch.manual_seed(17)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
chunks = torch.randn(3, 2, 3).unbind(0)

def chunk_loss_and_grads(chunk):
    out = net(chunk).pow(2).mean()
    grads = torch.autograd.grad(out, list(net.parameters()))
    return out.detach(), grads

with concurrent.futures.ThreadPoolExecutor(max_workers=3) as ex:
    futures = [ex.submit(chunk_loss_and_grads, c) for c in chunks]
    results = [f.result() for f in futures]
avg = [torch.stack(g).mean(0) for g in zip(*[r[1] for r in results])]
print([round(r[0].item(), 4) for r in results])
print(avg[0])
full = sum(net(c).pow(2).mean() for c in chunks) / 3
full.backward()
print(torch.allclose(net[0].weight.grad, avg[0]))
