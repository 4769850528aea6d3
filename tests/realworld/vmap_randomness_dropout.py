from torch.func import vmap

torch.manual_seed(233)
drop = nn.Dropout(p=0.5)
w = torch.randn(4, requires_grad=True)
batch = torch.ones(3, 4)


def f(row):
    return drop(row * w).sum()


same = vmap(f, randomness="same")(batch)
diff = vmap(f, randomness="different")(batch)
print(same[0] == same[1], same.shape)
total = same.sum() + diff.sum()
total.backward()
print(w.grad.shape)
try:
    vmap(f)(batch)
except RuntimeError as err:
    print("default randomness:", str(err)[:40])
