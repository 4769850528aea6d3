import torch

W = None
b = None

def init_params(n_in, n_out):
    global W, b
    torch.manual_seed(52)
    W = torch.randn(n_in, n_out, requires_grad=True)
    b = torch.zeros(n_out, requires_grad=True)

def forward(x):
    global last_hidden
    last_hidden = x @ W + b
    return torch.sigmoid(last_hidden)

init_params(3, 2)
out = forward(torch.ones(4, 3))
out.sum().backward()
print(W.grad)
print(b.grad, last_hidden)
