class Timer:
    def __enter__(self):
        self.steps = 0
        return self

    def __exit__(self, *exc):
        print("steps:", self.steps)
        if self.steps > 2:
            raise RuntimeError(f"too many steps: {self.steps}")
        return False


torch.manual_seed(187)
p = torch.randn(2, requires_grad=True)
with Timer() as t:
    for _ in range(3):
        l = (p ** 2).sum()
        l.backward()
        t.steps += 1
print(p.grad)
