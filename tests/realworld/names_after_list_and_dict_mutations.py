# Names follow the containers as the snippet leaves them: items popped, inserted, reversed, sorted, swapped out of
# dicts and set with setdefault.
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
losses = [(w * k).sum() for k in range(1, 5)]
first = losses.pop(0)
losses.insert(1, w.pow(2).sum())
losses.reverse()
losses.sort(key=lambda t: t.item())
del losses[-1]
stats = {"a": w.sin().sum(), "b": w.cos().sum()}
stats["a"], stats["b"] = stats["b"], stats["a"]
stats.setdefault("c", w.exp().sum())
stats.setdefault("a", w.tanh().sum())
removed = stats.pop("b")
stats.update(d=w.abs().sum(), e=stats["c"] * 2)
history = {"epoch": [w.mean(), w.max()]}
history["epoch"][0], history["epoch"][1] = history["epoch"][1], history["epoch"][0]
total = sum(losses) + sum(stats.values()) + first + removed + sum(history["epoch"])
total.backward()
print([round(t.item(), 4) for t in losses], sorted(stats))
print(w.grad)
