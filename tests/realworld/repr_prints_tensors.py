class Neuron:
    def __init__(self, n):
        self.w = torch.randn(n, requires_grad=True)
        self.b = torch.zeros((), requires_grad=True)

    def __call__(self, x):
        return torch.tanh(x @ self.w + self.b)

    def __repr__(self):
        return f"Neuron(w={self.w.detach()}, b={self.b.item():.3f})"


torch.manual_seed(90)
n = Neuron(3)
print(n)
x = torch.tensor([1.0, -2.0, 0.5])
out = n(x)
out.backward()
print(repr(n))
print(n.w.grad, n.b.grad)
neuron_w = n.w
