class Attention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.qkv = nn.Linear(dim, dim * 3)

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
        return scores.softmax(-1) @ v


class Layer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.attn = Attention(dim)
        self.ff = nn.Linear(dim, dim)

    def forward(self, x):
        x = x + self.attn(x)
        return x + self.ff(x)


torch.manual_seed(61)
layer = Layer(4)
opt = torch.optim.SGD(layer.parameters(), lr=0.01)
batches = [torch.randn(2, 3, 4), torch.randn(2, 5, 4), torch.randn(2, 3, 6)]
for step, batch in enumerate(batches):
    out = layer(batch)
    loss = out.pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
