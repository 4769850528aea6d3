import torch

class Perceptron:
    def __init__(self, n):
        torch.manual_seed(76)
        self.w = torch.randn(n, requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def predict(self, x):
        return torch.sign(x @ self.w + self.b)

    def update(self, x, y):
        if self.predict(x) != y:
            self.w += 0.1 * y * x
            self.b += 0.1 * y

def main():
    p = Perceptron(2)
    data = [(torch.tensor([1.0, 2.0]), 1.0), (torch.tensor([-1.0, 0.5]), -1.0)]
    for x, y in data:
        print("pred", p.predict(x).item())
        p.update(x, y)

if __name__ == "__main__":
    main()
