def make_run(seed):
    torch.manual_seed(seed)
    w = torch.randn(3, requires_grad=True)
    noise = torch.rand(3)
    loss = ((w + noise) ** 2).sum()
    loss.backward()
    return w, loss


w1, l1 = make_run(0)
w2, l2 = make_run(0)
w3, l3 = make_run(1)
print(torch.equal(w1, w2), torch.equal(w1.grad, w2.grad), torch.equal(w1, w3))
print(l1.item() == l2.item())
g = torch.Generator().manual_seed(5)
a = torch.randn(2, generator=g)
state = torch.get_rng_state()
b = torch.randn(2)
torch.set_rng_state(state)
c = torch.randn(2)
print(a, torch.equal(b, c))
