# Parameters created by name through globals(), as some course notebooks do for W1..W3
import torch

torch.manual_seed(3)
sizes = [4, 5, 3, 1]
for i in range(1, len(sizes)):
    globals()[f"W{i}"] = (torch.randn(sizes[i - 1], sizes[i]) * 0.5).requires_grad_()
    globals()[f"b{i}"] = torch.zeros(sizes[i], requires_grad=True)

x = torch.randn(2, 4)
h = x
for i in range(1, len(sizes)):
    h = h @ globals()[f"W{i}"] + globals()[f"b{i}"]
    if i < len(sizes) - 1:
        h = torch.relu(h)
out = h.sum()
out.backward()
print(W3.grad.T, b1.grad)
print([k for k in globals() if k[0] in "Wb" and k[1:].isdigit()])
