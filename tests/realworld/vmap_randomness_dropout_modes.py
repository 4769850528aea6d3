import torch
import torch.nn.functional as F
from torch.func import vmap

torch.manual_seed(0)
x = torch.ones(3, 5)


def noisy(row):
    return F.dropout(row, p=0.5, training=True) + torch.randn(())


torch.manual_seed(1)
same = vmap(noisy, randomness="same")(x)
print(same)
torch.manual_seed(1)
different = vmap(noisy, randomness="different")(x)
print(different)
print("rows equal (same):", bool((same == same[0]).all()))
try:
    vmap(noisy)(x)
except RuntimeError as e:
    print("error:", str(e).splitlines()[0][:60])
w = torch.randn(5, requires_grad=True)
out = vmap(lambda r: (F.dropout(r * w, 0.2, training=True)).sum(), randomness="different")(x)
out.sum().backward()
print(w.grad.shape)
