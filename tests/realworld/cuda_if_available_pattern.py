import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
torch.manual_seed(0)
x = torch.randn(3, 3, requires_grad=True)
x = x.cuda() if torch.cuda.is_available() else x
w = torch.randn(3, requires_grad=True, device=device)
y = (x @ w).tanh()
loss = y.sum()
loss.backward()
print(device, x.is_leaf, x.grad is not None)
print(w.grad)
