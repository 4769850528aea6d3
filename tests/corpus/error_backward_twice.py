x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * x).sum()
print("first")
y.backward()

def again(t):
    t.backward()

again(y)
print("never")
