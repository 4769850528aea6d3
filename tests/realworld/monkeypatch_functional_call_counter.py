from collections import Counter
calls = Counter()
def counted(fn):
    def wrapper(*args, **kwargs):
        calls[fn.__name__] += 1
        return fn(*args, **kwargs)
    return wrapper
orig_softmax, orig_relu = F.softmax, F.relu
F.softmax = counted(F.softmax)
F.relu = counted(F.relu)
torch.manual_seed(0)
x = torch.randn(2, 4, requires_grad=True)
h = F.relu(x)
p = F.softmax(h, dim=-1)
p[:, 0].sum().backward()
F.softmax, F.relu = orig_softmax, orig_relu
print(dict(calls))
print(x.grad)
