torch.manual_seed(209)


class Attention(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.last_weights = None

    def forward(self, x):
        scores = self.q(x) @ self.k(x).transpose(-2, -1) / x.shape[-1] ** 0.5
        self.last_weights = scores.softmax(dim=-1)
        return self.last_weights @ self.v(x)


attn = Attention(4)
tokens = torch.randn(2, 3, 4)
out = attn(tokens)
loss = out.pow(2).mean()
loss.backward()
print(attn.last_weights[0])
print(attn.q.weight.grad.norm())
heat = attn.last_weights.detach().mean(0)
print(heat)
