w = torch.tensor([1.0, -2.0], requires_grad=True)
out = (w ** 2).sum()
out.backward()
try:
    out.backward()
except RuntimeError as e:
    print("caught:", str(e).split(".")[0])
with torch.no_grad():
    w.mul_(0.5)
out2 = (w ** 3).sum()
out2.backward()
print(w, w.grad)
try:
    w.view(3)
except RuntimeError:
    print("bad view")
assert w.grad is not None
