import torch

class Var:
    def __init__(self, t):
        self.t = t if isinstance(t, torch.Tensor) else torch.tensor(float(t))

    def __add__(self, other):
        return Var(self.t + (other.t if isinstance(other, Var) else other))

    __radd__ = __add__

    def __mul__(self, other):
        return Var(self.t * (other.t if isinstance(other, Var) else other))

    __rmul__ = __mul__

    def __pow__(self, k):
        return Var(self.t ** k)

    def relu(self):
        return Var(self.t.clamp(min=0))

    def __repr__(self):
        return f"Var({self.t.item():.4f})"

a = Var(torch.tensor(-4.0, requires_grad=True))
b = Var(torch.tensor(2.0, requires_grad=True))
c = a + b
d = a * b + b ** 3
c = c + c + 1
e = (d * 2 + (b + a).relu()) + 3 * c
g = e ** 2
g.t.backward()
print(g, a.t.grad, b.t.grad)
