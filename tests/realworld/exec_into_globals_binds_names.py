import torch

torch.manual_seed(5)
w = torch.randn(3, requires_grad=True)
exec("w2 = w * 2\nscore = (w2 ** 2).sum()")
globals()["bias"] = torch.ones(3, requires_grad=True)
total = score + (bias * w).sum()
total.backward()
print(w.grad, bias.grad)
expr = "torch.sigmoid(w).mean()"
m = eval(expr)
print(round(m.item(), 4), "w2" in globals())
