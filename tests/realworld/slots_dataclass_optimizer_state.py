from dataclasses import dataclass, field

import torch


@dataclass(slots=True)
class AdamState:
    m: torch.Tensor
    v: torch.Tensor
    t: int = 0
    log: list = field(default_factory=list)


def adam_step(p, st, lr=0.1, b1=0.9, b2=0.999, eps=1e-8):
    st.t += 1
    with torch.no_grad():
        st.m.mul_(b1).add_(p.grad, alpha=1 - b1)
        st.v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
        mhat = st.m / (1 - b1**st.t)
        vhat = st.v / (1 - b2**st.t)
        p -= lr * mhat / (vhat.sqrt() + eps)


torch.manual_seed(5)
w = torch.randn(3, requires_grad=True)
state = AdamState(torch.zeros(3), torch.zeros(3))
target = torch.tensor([1.0, -2.0, 0.5])
for _ in range(4):
    loss = ((w - target) ** 2).sum()
    loss.backward()
    adam_step(w, state)
    state.log.append(round(loss.item(), 4))
    w.grad = None
print(state.log, state.t)
print(w)
