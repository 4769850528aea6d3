# XOR with backprop written out, then compared with autograd
torch.manual_seed(2)
X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
Y = torch.tensor([[0.], [1.], [1.], [0.]])
W1 = torch.randn(2, 3, requires_grad=True)
W2 = torch.randn(3, 1, requires_grad=True)
z1 = X @ W1
a1 = torch.sigmoid(z1)
z2 = a1 @ W2
a2 = torch.sigmoid(z2)
loss = ((a2 - Y) ** 2).sum() / 2
loss.backward()
d2 = (a2 - Y) * a2 * (1 - a2)
dW2 = a1.T @ d2
d1 = (d2 @ W2.T) * a1 * (1 - a1)
dW1 = X.T @ d1
print(torch.allclose(dW1, W1.grad), torch.allclose(dW2, W2.grad))
print(dW2.detach().squeeze(), W2.grad.squeeze())
