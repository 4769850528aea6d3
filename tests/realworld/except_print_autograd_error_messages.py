torch.manual_seed(61)
messages = []

x = torch.randn(3, requires_grad=True)
y = (x * x).sum()
y.backward()
try:
    y.backward()
except RuntimeError as e:
    messages.append(str(e).split(".")[0])

try:
    torch.ones(2).sum().backward()
except RuntimeError as e:
    messages.append(str(e))

try:
    x.add_(1)
except RuntimeError as e:
    messages.append(str(e))

a, b = (x * 1).unbind()[:2]
try:
    a.mul_(2)
except RuntimeError as e:
    messages.append(str(e).split("\n")[0][:60])

v = x[:2]
try:
    v.zero_()
except RuntimeError as e:
    messages.append(str(e))

try:
    torch.optim.SGD([x * 2], lr=0.1)
except ValueError as e:
    messages.append(str(e))

s = torch.sigmoid(x)
s.add_(1)
try:
    s.sum().backward()
except RuntimeError as e:
    messages.append(str(e).split(";")[0])

for i, m in enumerate(messages):
    print(i, m)
print(x.grad)
