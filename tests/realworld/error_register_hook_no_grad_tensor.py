torch.manual_seed(1)
model = nn.Linear(3, 2)
x = torch.randn(4, 3)
grads = {}

def save(name):
    def hook(g):
        grads[name] = g
    return hook

out = model(x)
out.register_hook(save("out"))
loss = out.sum()
loss.backward()
print(grads["out"].shape)
x.register_hook(save("x"))   # x never required grad
