torch.manual_seed(20)
model = nn.Linear(2, 2)
x = torch.randn(3, 2)
with torch.no_grad():
    y = model(x)
print(y.requires_grad)
with torch.no_grad:
    z = model(x)
