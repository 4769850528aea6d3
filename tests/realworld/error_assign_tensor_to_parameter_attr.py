torch.manual_seed(150)
layer = nn.Linear(2, 2)
new_w = torch.eye(2) * 0.5
with torch.no_grad():
    layer.weight.copy_(new_w)
out = layer(torch.ones(1, 2)).sum()
out.backward()
print(layer.weight, layer.weight.grad)
layer.weight = nn.Parameter(new_w * 2)
print(layer(torch.ones(1, 2)))
layer.weight = new_w * 3
