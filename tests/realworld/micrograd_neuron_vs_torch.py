import math
import random


class Value:
    def __init__(self, data, _children=(), _op=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += (1 - t ** 2) * out.grad
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
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()

    def __repr__(self):
        return f"Value(data={self.data:.4f}, grad={self.grad:.4f})"


x1 = Value(2.0); x2 = Value(0.0)
w1 = Value(-3.0); w2 = Value(1.0)
b = Value(6.8813735870195432)
n = x1 * w1 + x2 * w2 + b
o = n.tanh()
o.backward()
print(o, w1, w2)

x1t = torch.Tensor([2.0]).double(); x1t.requires_grad = True
x2t = torch.Tensor([0.0]).double(); x2t.requires_grad = True
w1t = torch.Tensor([-3.0]).double(); w1t.requires_grad = True
w2t = torch.Tensor([1.0]).double(); w2t.requires_grad = True
bt = torch.Tensor([6.8813735870195432]).double(); bt.requires_grad = True
nt = x1t * w1t + x2t * w2t + bt
ot = torch.tanh(nt)
print(ot.data.item())
ot.backward()
print('---')
print('x2', x2t.grad.item())
print('w2', w2t.grad.item())
print('x1', x1t.grad.item())
print('w1', w1t.grad.item())
assert abs(w1t.grad.item() - w1.grad) < 1e-6
random.seed(1)
