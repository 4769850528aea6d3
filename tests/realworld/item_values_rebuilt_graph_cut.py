torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
x = torch.randn(3)
pred = (w * x).sum()
vals = [pred.item(), (pred ** 2).item()]
fake_loss = torch.tensor(vals).sum()
print(fake_loss, fake_loss.requires_grad)
try:
    fake_loss.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e).splitlines()[0])
as_float = float(pred) * 2
loss2 = pred * as_float
loss2.backward()
print(w.grad)
