# Square roots of values cut at 0 by ReLU or clamp: sqrt's gradient at 0 is inf, and the cut must stop it.
w = torch.tensor([1.0, -1.0, 0.0], requires_grad=True)
out = torch.sqrt(torch.relu(w)).sum()
out.backward()
print(w.grad)

# a soft distance: negative squared distances (rounding) are clamped before the square root
x = torch.tensor([4.0, -2.0, 0.25, -0.5], requires_grad=True)
dist = torch.sqrt(x.clamp(min=0)) + torch.sqrt(F.relu6(x)) + torch.sqrt(torch.maximum(x, torch.zeros(4)))
dist.sum().backward()
print(x.grad)

a = torch.tensor([[0.5, -1.0], [2.0, -3.0]], requires_grad=True)
penalty = F.hardtanh(a, 0.0, 1.0).sqrt().sum()
penalty.backward()
print(a.grad, penalty.item())
