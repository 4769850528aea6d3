from contextlib import contextmanager
from types import SimpleNamespace


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(3, 4, batch_first=True)

    def forward(self, x):
        return self.rnn(x)


@contextmanager
def scratch_tensor(shape):
    buf = torch.zeros(shape, requires_grad=True)
    try:
        yield buf
    finally:
        print("scratch grad is None:", buf.grad is None)


torch.manual_seed(0)
enc = Encoder()
seq = torch.randn(2, 5, 3)

match enc(seq):
    case (outputs, hidden) if hidden.dim() == 3:
        print("gru:", tuple(outputs.shape), tuple(hidden.shape))
    case _:
        print("unexpected")

match [t for t in outputs.unbind(1)]:
    case [first, *middle, last]:
        print(len(middle), torch.allclose(last, hidden[0]))

cfg = SimpleNamespace(scale=torch.tensor(2.0, requires_grad=True), shift=torch.tensor(-1.0, requires_grad=True))
with scratch_tensor((2, 4)) as bias:
    z = cfg.scale * last + cfg.shift + bias
    loss = z.tanh().pow(2).mean() + first.sum() * 0.01
    loss.backward()
    print("bias.grad:", bias.grad)

state = {}
state.setdefault("grads", {}).update({n: p.grad.norm() for n, p in enc.named_parameters()})
print({k: round(v.item(), 5) for k, v in state["grads"].items()})
print(cfg.scale.grad, cfg.shift.grad)
