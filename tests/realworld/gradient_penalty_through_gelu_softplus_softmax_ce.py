torch.manual_seed(11)
x = torch.randn(4, 3, requires_grad=True)
W = torch.randn(3, 3, requires_grad=True)
t = torch.tensor([0, 2, 1, 1])
w8 = torch.tensor([0.5, 2.0, 1.0])
pieces = {
    "gelu": F.gelu(x),
    "gelu_tanh": F.gelu(x, approximate="tanh"),
    "softplus": F.softplus(x, beta=2.0, threshold=1.0),
    "hardtanh": F.hardtanh(x * 2, -1.0, 0.5),
    "log_softmax": F.log_softmax(x, dim=1) * torch.arange(3.0),
    "softmax": F.softmax(x, dim=0) * torch.arange(4.0).unsqueeze(1),
}
penalty = 0
for name, y in pieces.items():
    (g,) = torch.autograd.grad((y @ W).sum(), x, create_graph=True)
    penalty = penalty + (g**2).sum()
    print(name, round(g.sum().item(), 4))
ce = F.cross_entropy(x @ W, t, weight=w8)
(gx,) = torch.autograd.grad(ce, x, create_graph=True)
penalty = penalty + gx.pow(2).sum()
nll = F.nll_loss(F.log_softmax(x, 1), torch.tensor([1, -100, 2, 0]), reduction="none")
(gn,) = torch.autograd.grad((nll * W[0, :].repeat(2)[:4]).sum(), x, create_graph=True)
penalty = penalty + (gn * torch.randn(4, 3)).sum()
summed = F.cross_entropy(x, t, reduction="sum") * W.sum()
(gs,) = torch.autograd.grad(summed, x, create_graph=True)
penalty = penalty + gs.abs().sum()
penalty.backward()
print(round(penalty.item(), 4))
print(x.grad)
print(W.grad)
