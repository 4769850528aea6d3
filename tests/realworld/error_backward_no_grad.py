w = torch.tensor([1.0, 2.0], requires_grad=True)
y = (w * 3).sum()
y.backward()
print(w.grad)

def step(t):
    with torch.no_grad():
        z = t * 2
    return z.sum()

s = step(w)
s.backward()
