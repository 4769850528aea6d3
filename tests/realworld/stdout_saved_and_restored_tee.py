import sys

import torch


class Tee:
    def __init__(self, stream):
        self.stream = stream
        self.lines = []

    def write(self, text):
        self.lines.append(text)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()


original = sys.stdout
sys.stdout = Tee(original)
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 3).sum()
y.backward()
print("grad:", x.grad)
captured = sys.stdout.lines
sys.stdout = original
print("captured", len(captured), "writes")
print(sys.stdout is sys.__stdout__)
