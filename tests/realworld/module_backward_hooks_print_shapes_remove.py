torch.manual_seed(9)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)

    def forward(self, x):
        return x + self.norm(self.fc(x)).relu()


net = nn.Sequential(Block(4), Block(4), nn.Linear(4, 1))
handles = []


def pre_hook(module, grad_output):
    print(f"  pre  {module.__class__.__name__:6s} grad_out {[tuple(g.shape) for g in grad_output]}")


def post_hook(module, grad_input, grad_output):
    norms = ["None" if g is None else f"{g.norm():.4f}" for g in grad_input]
    print(f"  post {module.__class__.__name__:6s} |grad_in| {norms}")


for m in net:
    handles.append(m.register_full_backward_pre_hook(pre_hook))
    handles.append(m.register_full_backward_hook(post_hook))

x = torch.randn(3, 4, requires_grad=True)
print("first pass")
out = net(x).sum()
out.backward()
for h in handles[:2]:
    h.remove()
print("second pass, first block unhooked")
out2 = net(x).mean()
out2.backward()
print(x.grad)
