torch.manual_seed(28)
lin = nn.Linear(3, 1)
x = torch.randn(2, 3)
torch.set_grad_enabled(False)
frozen = lin(x)
torch.set_grad_enabled(True)
with torch.inference_mode():
    inf = lin(x) * 2
print(frozen.requires_grad, inf.is_inference())
live = lin(x).sum() + frozen.sum()
live.backward()
with torch.enable_grad():
    print(torch.is_grad_enabled())
print(lin.bias.grad)
