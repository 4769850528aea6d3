import gc


class Checkpoint:
    def __init__(self, t):
        self.t = t

    def __del__(self):
        raise RuntimeError(f"could not save {tuple(self.t.shape)}")


w = torch.ones(2, requires_grad=True)
c = Checkpoint(w * 2)
del c
gc.collect()
(w * 3).sum().backward()
print(w.grad)
