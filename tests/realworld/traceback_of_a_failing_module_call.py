# A snippet that prints the traceback of a module call that raised: the same frames as plain Python's.
import traceback

lin = nn.Linear(3, 2)
x = torch.randn(4, 3, requires_grad=True)
try:
    y = lin(x.T)
except RuntimeError:
    frames = traceback.extract_tb(__import__("sys").exc_info()[2])
    print([(f.name, f.line) for f in frames])
    print(traceback.format_exc().splitlines()[-1])
lin(x).sum().backward()
print(x.grad)
