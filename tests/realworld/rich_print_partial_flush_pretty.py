import functools
from rich import print as rprint
from rich.pretty import pprint as rpp

print = functools.partial(print, flush=True)
torch.manual_seed(0)
w = torch.randn(2, 2, requires_grad=True)
loss = (w.exp() * 2).sum()
loss.backward()
rprint({"loss": loss.item(), "grad": w.grad})
rpp({"w": w.detach(), "shape": w.shape})
rprint("[red]done[/red]", w.grad.sum())
print("flushed", w.grad.shape)
