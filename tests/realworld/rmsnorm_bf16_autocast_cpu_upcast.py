# RMSNorm as LLaMA writes it (upcast to float32, normalise, cast back), inside torch.autocast on CPU with bfloat16:
# the Linear layers run in bfloat16, the norm in float32, and the gradients land on float32 parameters.
torch.manual_seed(0)


class RMSNorm(nn.Module):
    def __init__(self, hidden_size, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)


class MLP(nn.Module):
    def __init__(self, d=8, h=16):
        super().__init__()
        self.norm = RMSNorm(d)
        self.gate_proj = nn.Linear(d, h, bias=False)
        self.up_proj = nn.Linear(d, h, bias=False)
        self.down_proj = nn.Linear(h, d, bias=False)

    def forward(self, x):
        h = self.norm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


model = MLP()
x = torch.randn(4, 8)
target = torch.randn(4, 8)
with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
    y = model(x)
    print("inside autocast:", y.dtype, model.gate_proj(x).dtype)
loss = F.mse_loss(y.float(), target)
loss.backward()
print(y.dtype, loss.dtype, model.norm.weight.grad.dtype, model.down_proj.weight.grad.dtype)
print("norm weight grad:", model.norm.weight.grad)
