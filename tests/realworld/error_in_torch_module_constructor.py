x = torch.randn(2, 4)
layers = []
for width in [4, 3, 0, -1]:
    layers.append(nn.Linear(4, width))
    print(width, layers[-1](x).shape)
