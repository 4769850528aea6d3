torch.manual_seed(131)
decoder = nn.Sequential(
    nn.Linear(6, 2 * 4 * 4),
    nn.Unflatten(1, (2, 4, 4)),
    nn.Conv2d(2, 3, 3, padding=1),
    nn.BatchNorm2d(3),
    nn.SiLU(),
)
decoder = decoder.to(memory_format=torch.channels_last)
z = torch.randn(3, 6, requires_grad=True)
img = decoder(z)
print(img.shape, img.is_contiguous(memory_format=torch.channels_last))
cl = img.contiguous(memory_format=torch.channels_last)
loss = cl.mean(dim=(2, 3)).pow(2).sum()
loss.backward()
print(z.grad)
print(decoder[2].weight.grad.is_contiguous(memory_format=torch.channels_last), decoder[3].weight.grad)
print(decoder[3].running_mean)
