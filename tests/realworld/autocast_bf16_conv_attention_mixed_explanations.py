# A small conv + attention model under CPU bfloat16 autocast: conv, linear, bmm and softmax in the ops autocast
# lowers, layer_norm and the loss kept in float32, a gradient that crosses dtypes on the way back; the grads of
# float32 parameters compared with a float32 run (loose: bfloat16 keeps 8 bits).
torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 8, 3, padding=1)
        self.norm = nn.LayerNorm(8)
        self.qkv = nn.Linear(8, 24)
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        h = F.gelu(self.conv(x)).transpose(1, 2)
        h = self.norm(h)
        q, k, v = self.qkv(h).chunk(3, dim=-1)
        att = torch.softmax(torch.bmm(q, k.transpose(1, 2)) / 8**0.5, dim=-1)
        return self.out(torch.bmm(att, v).mean(1))


model = Net()
x = torch.randn(2, 4, 6)
y = torch.tensor([0, 2])
with torch.autocast("cpu", dtype=torch.bfloat16):
    logits = model(x)
    loss = F.cross_entropy(logits, y)
print(logits.dtype, loss.dtype)
loss.backward()
bf16_grad = model.conv.weight.grad.clone()
model.zero_grad()
F.cross_entropy(model(x), y).backward()
print(torch.allclose(bf16_grad, model.conv.weight.grad, atol=0.05, rtol=0.1))
print(model.out.bias.grad)
