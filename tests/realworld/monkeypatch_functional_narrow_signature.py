orig_softmax = F.softmax
def softmax(x, dim):
    return orig_softmax(x, dim)
F.softmax = softmax
try:
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    p = F.softmax(x, 0)
    p[0].backward()
finally:
    F.softmax = orig_softmax
print(p, x.grad)
