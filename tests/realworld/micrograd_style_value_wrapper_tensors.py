class Value:
    """A tiny wrapper around a 0-d tensor, to compare a hand-written backward with autograd."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data if isinstance(data, torch.Tensor) else torch.tensor(float(data), dtype=torch.float64)
        self.grad = torch.zeros((), dtype=torch.float64)
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def tanh(self):
        t = torch.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()

        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)

        build(self)
        self.grad = torch.ones((), dtype=torch.float64)
        for v in reversed(topo):
            v._backward()

    def __repr__(self):
        return f"Value(data={self.data.item():.4f}, grad={self.grad.item():.4f})"


x1, x2, w1, w2, b = Value(2.0), Value(0.0), Value(-3.0), Value(1.0), Value(6.8813735870195432)
n = x1 * w1 + x2 * w2 + b
o = n.tanh()
o.backward()
print(o, x1, w1, sep="\n")

tx1 = torch.tensor(2.0, dtype=torch.double, requires_grad=True)
tw1 = torch.tensor(-3.0, dtype=torch.double, requires_grad=True)
tx2 = torch.tensor(0.0, dtype=torch.double, requires_grad=True)
tw2 = torch.tensor(1.0, dtype=torch.double, requires_grad=True)
tb = torch.tensor(6.8813735870195432, dtype=torch.double, requires_grad=True)
to = torch.tanh(tx1 * tw1 + tx2 * tw2 + tb)
to.backward()
print("torch:", to.item(), tx1.grad.item(), tw1.grad.item())
print("match:", abs(tx1.grad.item() - x1.grad.item()) < 1e-12)
